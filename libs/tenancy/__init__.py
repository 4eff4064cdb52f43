from libs.tenancy.database import TenantDatabase
from libs.tenancy.dependencies import TenantConnection

__all__ = ["TenantConnection", "TenantDatabase"]
