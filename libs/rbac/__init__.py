from libs.rbac.matrix import GRANTS, ROUTES, Permission, Role, Route, find_route, is_allowed

__all__ = ["GRANTS", "ROUTES", "Permission", "Role", "Route", "find_route", "is_allowed"]
