from libs.api.tenant_connection import TenantConnection, TenantSnapshot
from libs.tenancy.database import TenantDatabase

__all__ = ["TenantConnection", "TenantDatabase", "TenantSnapshot"]
