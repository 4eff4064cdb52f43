from libs.tenancy.database import TenantDatabase

__all__ = ["TenantDatabase"]
