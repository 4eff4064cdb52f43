from libs.tenancy.database import TenantDatabase
from libs.tenancy.dependencies import TenantConnection, TenantSnapshot

__all__ = ["TenantConnection", "TenantDatabase", "TenantSnapshot"]
