#!/usr/bin/env python3
"""Generates Sources/GovShareServer/Resources/openapi.json, the API contract. Edit this, run it, commit both;
ContractTests and schemathesis in CI check the document against the server."""
import json
import os
import sys

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Sources", "GovShareServer", "Resources", "openapi.json")


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def rresp(name):
    return {"$ref": f"#/components/responses/{name}"}


def opt_string(desc=None, **extra):
    s = {"type": ["string", "null"]}
    s.update(extra)
    if desc:
        s["description"] = desc
    return s


def string(desc=None, **extra):
    s = {"type": "string"}
    s.update(extra)
    if desc:
        s["description"] = desc
    return s


LEVELS = ["province", "city", "county"]
KINDS = ["data_authority", "government", "operations_centre", "third_party"]
ROLES = ["platform_admin", "authority_reviewer", "cataloger", "department_reviewer", "data_user",
         "security_auditor", "operator"]
ACCOUNT_STATUS = ["active", "disabled"]

schemas = {
    "Problem": {
        "type": "object",
        "description": "RFC 7807 problem details — the one error shape of the API. 所有错误均以此格式返回。",
        "required": ["type", "title", "status", "detail", "code", "request_id", "errors"],
        "properties": {
            "type": string("A URI naming the problem, https://govshare.gd.gov.cn/problems/{code}."),
            "title": string("The HTTP reason phrase."),
            "status": {"type": "integer", "description": "The HTTP status code."},
            "detail": string("A human-readable explanation in the caller's language (zh or en, from Accept-Language). 按 Accept-Language 返回中文或英文。"),
            "code": string("A stable machine-readable code, e.g. validation_failed, unauthenticated, forbidden, not_found.",
                           examples=["validation_failed"]),
            "request_id": string("The request id, also sent as the X-Request-Id header. 请求编号。"),
            "errors": {
                "type": "array",
                "description": "Field-level problems (empty unless code is validation_failed). 字段级错误。",
                "items": ref("FieldError"),
            },
        },
    },
    "FieldError": {
        "type": "object",
        "required": ["field", "rule", "message"],
        "properties": {
            "field": string("The field (body property or query parameter) at fault, e.g. name_zh or body."),
            "rule": string("The rule that failed, e.g. required, max_length, enum, pattern, type, exists."),
            "message": string("A human-readable message in the caller's language."),
        },
    },
    "Health": {
        "type": "object",
        "required": ["status", "node_id", "database"],
        "properties": {
            "status": {"type": "string", "enum": ["ok", "unavailable"]},
            "node_id": string("The node answering."),
            "database": {
                "type": "object",
                "required": ["kind", "reachable"],
                "properties": {
                    "kind": string("The database engine, e.g. sqlite or postgres."),
                    "reachable": {"type": "boolean"},
                    "schema_version": {"type": ["integer", "null"],
                                       "description": "The latest applied migration; absent when the database is unreachable."},
                },
            },
        },
    },
    "TokenRequest": {
        "type": "object",
        "description": "Either username and password (a person) or client_id and client_secret (a department business system). "
                       "人员使用 username/password，业务系统使用 client_id/client_secret。",
        "properties": {
            "username": string(),
            "password": string(format="password"),
            "client_id": string(),
            "client_secret": string(format="password"),
        },
        "examples": [{"username": "zhang.san", "password": "Example#Passw0rd"}],
    },
    "TokenResponse": {
        "type": "object",
        "required": ["access_token", "token_type", "expires_in"],
        "properties": {
            "access_token": string("A bearer token for the Authorization header."),
            "token_type": {"type": "string", "enum": ["Bearer"]},
            "expires_in": {"type": "integer", "description": "Seconds until the token expires."},
        },
    },
    "Me": {
        "type": "object",
        "required": ["kind", "id", "name", "roles"],
        "properties": {
            "kind": {"type": "string", "enum": ["user", "client", "system"]},
            "id": string(),
            "name": string(),
            "department": {"anyOf": [ref("Department"), {"type": "null"}],
                           "description": "The caller's department; absent if it no longer exists."},
            "roles": {"type": "array", "items": {"type": "string", "enum": ROLES}},
        },
    },
    "Region": {
        "type": "object",
        "required": ["code", "name_zh", "name_en", "level"],
        "properties": {
            "code": string("6-digit administrative division code (GB/T 2260). 行政区划代码。"),
            "name_zh": string(),
            "name_en": string(),
            "level": {"type": "string", "enum": LEVELS},
            "parent_code": opt_string("The enclosing division; absent for the province."),
        },
    },
    "RegionList": {"type": "object", "required": ["items"],
                   "properties": {"items": {"type": "array", "items": ref("Region")}}},
    "Department": {
        "type": "object",
        "required": ["id", "code", "name_zh", "level", "region_code", "kind", "node_id", "created_at", "updated_at"],
        "properties": {
            "id": string(),
            "code": string("Unified social credit code (18 characters). 统一社会信用代码。"),
            "name_zh": string(),
            "name_en": opt_string(),
            "level": {"type": "string", "enum": LEVELS},
            "region_code": string(),
            "kind": {"type": "string", "enum": KINDS},
            "system_parent_id": opt_string("The provincial department guiding this one's vertical system (Art. 6)."),
            "node_id": string(),
            "created_at": string(),
            "updated_at": string(),
        },
    },
    "DepartmentList": {"type": "object", "required": ["items"],
                       "properties": {"items": {"type": "array", "items": ref("Department")}}},
    "NewDepartment": {
        "type": "object",
        "description": "Every field is checked by the server and all problems are reported at once (422). "
                       "服务器统一校验所有字段，一次返回全部错误。",
        "properties": {
            "code": string("Unified social credit code (18 characters, with a valid check character).", maxLength=18),
            "name_zh": string(maxLength=100),
            "name_en": opt_string(maxLength=200),
            "level": {"type": "string", "enum": LEVELS},
            "region_code": string("6-digit division code whose level matches `level`.", pattern="^[0-9]{6}$"),
            "kind": {"type": "string", "enum": KINDS},
            "system_parent_code": opt_string("Credit code of the provincial department guiding this one's system."),
        },
        "examples": [{"code": "11440000MB33079098", "name_zh": "广东省示例厅", "name_en": "Guangdong Example Department",
                      "level": "province", "region_code": "440000", "kind": "government"}],
    },
    "RoleGrant": {
        "type": "object",
        "required": ["department_id", "role"],
        "properties": {"department_id": string(), "role": {"type": "string", "enum": ROLES}},
    },
    "User": {
        "type": "object",
        "required": ["id", "username", "display_name", "department_id", "status", "locked", "roles", "node_id", "created_at"],
        "properties": {
            "id": string(),
            "username": string(),
            "display_name": string(),
            "department_id": string(),
            "status": {"type": "string", "enum": ACCOUNT_STATUS},
            "locked": {"type": "boolean", "description": "Temporarily locked after repeated failed sign-ins. 因多次登录失败被临时锁定。"},
            "roles": {"type": "array", "items": ref("RoleGrant")},
            "node_id": string(),
            "created_at": string(),
        },
    },
    "UserList": {"type": "object", "required": ["items"],
                 "properties": {"items": {"type": "array", "items": ref("User")}}},
    "NewUser": {
        "type": "object",
        "description": "Every field is checked by the server and all problems are reported at once (422).",
        "properties": {
            "username": string(pattern="^[a-z][a-z0-9_.-]{2,63}$"),
            "display_name": string(maxLength=100),
            "department_code": string(maxLength=18),
            "roles": {"type": "array", "minItems": 1, "items": {"type": "string", "enum": ROLES}},
            "password": string("12 to 128 characters from at least three of: upper case, lower case, digits, symbols. "
                               "至少 12 位，包含大写字母、小写字母、数字、符号中的至少三类。",
                               format="password", minLength=12, maxLength=128),
        },
        "examples": [{"username": "zhang.san", "display_name": "张三", "department_code": "11440000MB3307905U",
                      "roles": ["data_user"], "password": "Example#Passw0rd"}],
    },
    "PasswordReset": {
        "type": "object",
        "properties": {"password": string("The new password (same policy as NewUser.password).",
                                          format="password", minLength=12, maxLength=128)},
    },
    "Client": {
        "type": "object",
        "required": ["client_id", "name", "department_id", "status", "roles", "created_at"],
        "properties": {
            "client_id": string(),
            "name": string(),
            "department_id": string(),
            "status": {"type": "string", "enum": ACCOUNT_STATUS},
            "roles": {"type": "array", "items": {"type": "string", "enum": ROLES}},
            "created_at": string(),
            "revoked_at": opt_string(),
            "client_secret": opt_string("Present only in the answer to the request that created the client; it is never shown again. "
                                        "仅在创建时返回一次。"),
        },
    },
    "ClientList": {"type": "object", "required": ["items"],
                   "properties": {"items": {"type": "array", "items": ref("Client")}}},
    "NewClient": {
        "type": "object",
        "properties": {
            "name": string(maxLength=100),
            "department_code": string(maxLength=18),
            "roles": {"type": "array", "minItems": 1, "items": {"type": "string", "enum": ROLES},
                      "description": "Defaults to [data_user]."},
        },
        "examples": [{"name": "示例业务系统", "department_code": "11440000MB3307905U", "roles": ["data_user"]}],
    },
    "AuditEvent": {
        "type": "object",
        "required": ["seq", "id", "occurred_at", "actor_kind", "actor_id", "actor_name", "department_id", "action",
                     "object_type", "object_id", "outcome", "request_id", "client_address", "node_id", "prev_hash", "hash"],
        "properties": {
            "seq": {"type": "integer"},
            "id": string(),
            "occurred_at": string(),
            "actor_kind": string(),
            "actor_id": string(),
            "actor_name": string(),
            "department_id": string(),
            "action": string(),
            "object_type": string(),
            "object_id": string(),
            "outcome": string(),
            "before": opt_string(),
            "after": opt_string(),
            "detail": opt_string(),
            "request_id": string(),
            "client_address": string(),
            "node_id": string(),
            "prev_hash": string(),
            "hash": string(),
        },
    },
    "AuditEventList": {"type": "object", "required": ["items"],
                       "properties": {"items": {"type": "array", "items": ref("AuditEvent")}}},
    "AuditVerification": {
        "type": "object",
        "required": ["ok", "checked"],
        "properties": {
            "ok": {"type": "boolean"},
            "checked": {"type": "integer", "description": "Events checked."},
            "first_broken_seq": {"type": ["integer", "null"]},
            "reason": opt_string(),
        },
    },
    "CalendarInfo": {
        "type": "object",
        "required": ["years"],
        "properties": {
            "years": {"type": "array", "items": {"type": "integer"}},
            "first_year": {"type": ["integer", "null"]},
            "last_year": {"type": ["integer", "null"]},
        },
    },
    "DueDate": {
        "type": "object",
        "required": ["from", "working_days", "due", "provisional"],
        "properties": {
            "from": string(format="date"),
            "working_days": {"type": "integer"},
            "due": string(format="date"),
            "provisional": {"type": "boolean",
                            "description": "True when the count runs into a year whose official calendar is not loaded yet. "
                                           "涉及尚未公布工作日历的年份时为 true。"},
        },
    },
    "CalendarImport": {
        "type": "object",
        "required": ["years", "deadlines_recomputed"],
        "properties": {
            "years": {"type": "array", "items": {"type": "integer"}},
            "deadlines_recomputed": {"type": "integer"},
        },
    },
}

PROBLEM = {"application/problem+json": {"schema": ref("Problem")}}


def problem_response(desc, www_auth=False):
    r = {"description": desc, "content": PROBLEM}
    if www_auth:
        r["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}, "description": "Bearer realm=\"govshare\""}}
    return r


responses = {
    "Unauthorized": problem_response("No valid bearer token: missing, malformed, expired, or for a disabled account. 未认证。",
                                     www_auth=True),
    "Forbidden": problem_response("The caller's roles do not allow this (code forbidden). 无权限。"),
    "NotFound": problem_response("No such resource (code not_found). 资源不存在。"),
    "Conflict": problem_response("The resource already exists. 资源已存在。"),
    "ValidationFailed": problem_response("Invalid input (code validation_failed); `errors` names every field at fault. 输入有误。"),
    "TooLarge": problem_response("The request body exceeds 8 MiB (code too_large). 请求内容过大。"),
    "Error": problem_response("Any other error, e.g. 400 bad request, 500 internal error or 503 unavailable. 其他错误。"),
}


def ok(status, desc, schema_name, content_type="application/json"):
    return {str(status): {"description": desc, "content": {content_type: {"schema": ref(schema_name)}}}}


def op(op_id, summary, description, responses_, *, tag, auth=True, forbidden=True, not_found=False, conflict=False,
       validates=False, body=None, params=None, public=False):
    r = dict(responses_)
    if auth:
        r["401"] = rresp("Unauthorized")
    if forbidden:
        r["403"] = rresp("Forbidden")
    if not_found:
        r["404"] = rresp("NotFound")
    if conflict:
        r["409"] = rresp("Conflict")
    if body is not None:
        r["413"] = rresp("TooLarge")
    # Every route can refuse input with 422 (e.g. a NUL character anywhere in the URL).
    r["422"] = rresp("ValidationFailed")
    r["default"] = rresp("Error")
    o = {"tags": [tag], "operationId": op_id, "summary": summary, "description": description}
    if params:
        o["parameters"] = params
    if body is not None:
        o["requestBody"] = body
    o["responses"] = dict(sorted(r.items(), key=lambda kv: (kv[0] == "default", kv[0])))
    if public:
        o["security"] = []
    return o


def json_body(schema_name, desc):
    return {"required": True, "description": desc, "content": {"application/json": {"schema": ref(schema_name)}}}


def path_param(name, desc):
    return {"name": name, "in": "path", "required": True, "description": desc, "schema": {"type": "string", "minLength": 1}}


def query(name, schema, desc, required=False):
    return {"name": name, "in": "query", "required": required, "description": desc, "schema": schema}


paths = {
    "/healthz": {"get": op(
        "getHealth", "Health probe",
        "Reports whether this node can reach its database and has the latest schema; 503 (same shape) when not. "
        "No sign-in needed. 健康检查，无需登录。",
        {"200": {"description": "Healthy.", "content": {"application/json": {"schema": ref("Health")}}},
         "503": {"description": "Unhealthy: the database is unreachable or not migrated.",
                 "content": {"application/json": {"schema": ref("Health")}}}},
        tag="system", auth=False, forbidden=False, public=True)},
    "/metrics": {"get": op(
        "getMetrics", "Prometheus metrics",
        "Metrics in the Prometheus text exposition format 0.0.4. No sign-in needed. Prometheus 监控指标，无需登录。",
        {"200": {"description": "Metrics.", "content": {"text/plain": {"schema": {"type": "string"}}}}},
        tag="system", auth=False, forbidden=False, public=True)},
    "/api/v1/openapi.json": {"get": op(
        "getOpenAPIDocument", "This API document",
        "The OpenAPI 3.1 document of the API. No sign-in needed. 本接口文档，无需登录。",
        {"200": {"description": "The OpenAPI document.", "content": {"application/json": {"schema": {"type": "object"}}}}},
        tag="system", auth=False, forbidden=False, public=True)},
    "/api/v1/auth/token": {"post": op(
        "issueToken", "Get an access token",
        "Exchanges a person's username and password, or a business system's client_id and client_secret, for a bearer "
        "token. Repeated wrong passwords lock the account for a while; a wrong, disabled or locked account all answer 401 "
        "invalid_credentials. 使用用户名密码或客户端凭据换取访问令牌；连续输错密码将临时锁定账号。",
        ok(200, "The token.", "TokenResponse"),
        tag="auth", forbidden=False, public=True,
        body=json_body("TokenRequest", "Credentials."))},
    "/api/v1/me": {"get": op(
        "getMe", "The caller",
        "Who the bearer token belongs to: kind, id, name, department and roles. 当前调用者信息。",
        ok(200, "The caller.", "Me"), tag="auth", forbidden=False)},
    "/api/v1/regions": {"get": op(
        "listRegions", "List administrative regions",
        "Guangdong's province, cities and counties (GB/T 2260). Policy directory.read (any role). 行政区划列表。",
        ok(200, "All regions.", "RegionList"), tag="directory")},
    "/api/v1/departments": {
        "get": op(
            "listDepartments", "List departments",
            "Departments, optionally filtered by level, kind and region. Policy directory.read (any role). "
            "部门列表，可按层级、类型、行政区划筛选。",
            ok(200, "Matching departments.", "DepartmentList"), tag="directory", validates=True,
            params=[query("level", {"type": "string", "enum": LEVELS}, "Administrative level. 行政层级。"),
                    query("kind", {"type": "string", "enum": KINDS}, "Department kind. 部门类型。"),
                    query("region_code", {"type": "string"}, "6-digit division code. 行政区划代码。")]),
        "post": op(
            "createDepartment", "Register a department",
            "Registers a department by its unified social credit code. Policy organisations.manage (platform_admin). "
            "登记部门（统一社会信用代码）。",
            ok(201, "The new department.", "Department"), tag="directory", conflict=True,
            body=json_body("NewDepartment", "The department.")),
    },
    "/api/v1/departments/{code}": {"get": op(
        "getDepartment", "Show a department",
        "One department by its unified social credit code. Policy directory.read (any role). 按统一社会信用代码查询部门。",
        ok(200, "The department.", "Department"), tag="directory", not_found=True,
        params=[path_param("code", "Unified social credit code. 统一社会信用代码。")])},
    "/api/v1/users": {
        "get": op(
            "listUsers", "List user accounts",
            "User accounts, optionally of one department (422 if the department does not exist). "
            "Policy accounts.manage (platform_admin). 用户账号列表。",
            ok(200, "The accounts.", "UserList"), tag="accounts", validates=True,
            params=[query("department_code", {"type": "string"}, "Unified social credit code of a department. 部门代码。")]),
        "post": op(
            "createUser", "Create a user account",
            "Creates an active account in a department with the given roles. Policy accounts.manage (platform_admin). "
            "创建用户账号。",
            ok(201, "The new account.", "User"), tag="accounts", conflict=True,
            body=json_body("NewUser", "The account.")),
    },
    "/api/v1/users/{username}/disable": {"post": op(
        "disableUser", "Disable a user account",
        "The account can no longer sign in, and its tokens stop working. Policy accounts.manage; 409 for one's own "
        "account. 停用账号（不能停用自己）。",
        ok(200, "The account.", "User"), tag="accounts", not_found=True, conflict=True,
        params=[path_param("username", "The username. 用户名。")])},
    "/api/v1/users/{username}/enable": {"post": op(
        "enableUser", "Enable a user account",
        "Re-enables a disabled account. Policy accounts.manage. 启用账号。",
        ok(200, "The account.", "User"), tag="accounts", not_found=True,
        params=[path_param("username", "The username. 用户名。")])},
    "/api/v1/users/{username}/password": {"post": op(
        "resetUserPassword", "Reset a user's password",
        "Sets a new password and lifts any sign-in lock. Policy accounts.manage. 重置密码并解除锁定。",
        {"204": {"description": "Done."}}, tag="accounts", not_found=True,
        params=[path_param("username", "The username. 用户名。")],
        body=json_body("PasswordReset", "The new password."))},
    "/api/v1/clients": {
        "get": op(
            "listClients", "List API clients",
            "Department business systems registered for machine access. Policy accounts.manage. 接口客户端列表。",
            ok(200, "The clients.", "ClientList"), tag="accounts"),
        "post": op(
            "createClient", "Register an API client",
            "Registers a department business system; the answer carries client_secret once. Policy accounts.manage. "
            "登记业务系统接口客户端，密钥仅返回一次。",
            ok(201, "The new client, with its secret.", "Client"), tag="accounts",
            body=json_body("NewClient", "The client.")),
    },
    "/api/v1/clients/{clientId}/revoke": {"post": op(
        "revokeClient", "Revoke an API client",
        "Disables the client for good. Policy accounts.manage. 吊销接口客户端。",
        ok(200, "The revoked client.", "Client"), tag="accounts", not_found=True,
        params=[path_param("clientId", "The client_id. 客户端编号。")])},
    "/api/v1/audit/events": {"get": op(
        "listAuditEvents", "Query the audit log",
        "Audit events, newest first, filtered by action, actor and object; page with before_seq. The query is itself "
        "recorded. Policy audit.read (security_auditor, platform_admin). 查询审计日志（查询本身也会被记录）。",
        ok(200, "The events.", "AuditEventList"), tag="audit", validates=True,
        params=[query("before_seq", {"type": "integer", "minimum": 1}, "Only events with a smaller seq. 仅返回序号小于此值的事件。"),
                query("limit", {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}, "At most this many events."),
                query("action", {"type": "string"}, "Action, e.g. user.create."),
                query("actor_id", {"type": "string"}, "The actor's id."),
                query("object_id", {"type": "string"}, "The object's id.")])},
    "/api/v1/audit/verify": {"get": op(
        "verifyAuditLog", "Verify the audit hash chain",
        "Checks the hash chain of the whole audit log and reports the first broken link. Policy audit.read. "
        "校验审计日志哈希链。",
        ok(200, "The result.", "AuditVerification"), tag="audit")},
    "/api/v1/calendar": {"get": op(
        "getCalendar", "Loaded working-day calendars",
        "The years whose official working-day calendar is loaded. Policy directory.read (any role). 已载入的工作日历年份。",
        ok(200, "The loaded years.", "CalendarInfo"), tag="calendar")},
    "/api/v1/calendar/due": {"get": op(
        "getDueDate", "Compute a due date",
        "The date that is `working_days` working days after `from`, by the official calendar; provisional when it "
        "runs into a year not loaded yet. Policy directory.read. 按工作日计算期限届满日。",
        ok(200, "The due date.", "DueDate"), tag="calendar", validates=True,
        params=[query("from", {"type": "string", "format": "date"}, "The day the clock starts (YYYY-MM-DD). 起算日。", True),
                query("working_days", {"type": "integer", "minimum": 1, "maximum": 3650}, "Working days. 工作日数。", True)])},
    "/api/v1/calendar/import": {"post": op(
        "importCalendar", "Import a year's working-day calendar",
        "Loads the years in a CSV file in the shipped layout (replacing those years) and recomputes open provisional "
        "deadlines. Policy calendar.manage (platform_admin, operator). 导入年度工作日历（CSV）。",
        ok(200, "The imported years.", "CalendarImport"), tag="calendar",
        body={"required": True, "description": "The calendar file, UTF-8 CSV.",
              "content": {"text/csv": {"schema": {"type": "string"}}}})},
}


# ---------------------------------------------------------------- catalog
CATALOG_KINDS = ["base", "thematic", "department"]
SHARE_TYPES = ["unconditional", "conditional", "not_shared"]
ENTRY_STATUS = ["draft", "submitted", "returned", "published", "withdrawn"]

schemas.update({
    "LegalBasis": {
        "type": "object",
        "description": "A cited legal basis (instrument and article). 法律依据。",
        "properties": {"instrument": opt_string("The law or regulation."), "article": opt_string("The article.")},
    },
    "DataItem": {
        "type": "object",
        "description": "One data item (信息项) of a resource.",
        "properties": {
            "name": opt_string(),
            "code": opt_string(),
            "data_type": opt_string("C, N, Y, D, T, L, M, G, B, I or F (the guide's item data types)."),
            "length": {"type": ["integer", "null"], "description": "Required for types C and N."},
            "description": opt_string(),
            "share_type": opt_string("unconditional, conditional or not_shared."),
            "share_conditions": opt_string(),
            "legal_basis": {"anyOf": [ref("LegalBasis"), {"type": "null"}]},
            "sensitivity": {"type": ["integer", "null"], "description": "1 (public) to 4 (most sensitive)."},
            "is_basic": {"type": ["boolean", "null"], "description": "A basic item of a base resource (Art. 17), always unconditional."},
        },
    },
    "CatalogContent": {
        "type": "object",
        "description": "The catalog elements of the national guide, as the cataloger wrote them. Every element is optional in a "
                       "draft (a draft needs kind, classification_code and name); the full rules apply at submission and "
                       "publication, where every problem is reported at once (422). 目录要素；草稿只需类型、分类码和名称，提交时全面校验。",
        "properties": {
            "kind": opt_string("base, thematic or department. 基础、主题或部门信息资源。"),
            "classification_code": opt_string("6-9 digits: class (1, matching kind) + item (2) + category (3) [+ subcategory]. 分类码。"),
            "classification_path": opt_string("Names along the classification. 分类路径。"),
            "name": opt_string(),
            "summary": opt_string(),
            "format": opt_string("electronic_file, spreadsheet, database, image, streaming, self_describing or service_interface."),
            "items": {"type": ["array", "null"], "items": ref("DataItem")},
            "share_conditions": opt_string(),
            "legal_basis": {"anyOf": [ref("LegalBasis"), {"type": "null"}]},
            "share_method": opt_string("database, file_download or service_interface."),
            "open_to_public": {"type": ["boolean", "null"]},
            "open_conditions": opt_string(),
            "update_cycle": opt_string("realtime, daily, weekly, monthly, quarterly, half_yearly, yearly or irregular."),
            "related_codes": {"type": ["array", "null"], "items": {"type": "string"}},
            "responsible_party": opt_string(),
            "update_deadline": opt_string(),
            "usage_requirements": opt_string(),
            "collection_basis": opt_string("law, business_system or consultation."),
            "collection_source": opt_string(),
            "co_builder_codes": {"type": ["array", "null"], "items": {"type": "string"},
                                 "description": "Thematic entries: credit codes of co-building departments, who may edit. 共建部门。"},
        },
    },
    "CatalogVersion": {
        "type": "object",
        "required": ["version", "status", "content", "created_by", "created_at"],
        "properties": {
            "version": {"type": "integer"},
            "status": {"type": "string", "enum": ENTRY_STATUS},
            "content": ref("CatalogContent"),
            "created_by": string(),
            "created_at": string(),
            "submitted_at": opt_string(),
            "reviewed_by": opt_string(),
            "review_reason": opt_string(),
            "published_at": opt_string(),
        },
    },
    "CatalogVersionList": {"type": "object", "required": ["items"],
                           "properties": {"items": {"type": "array", "items": ref("CatalogVersion")}}},
    "CatalogEntry": {
        "type": "object",
        "required": ["id", "code", "kind", "provider_id", "status", "latest_version", "share_type", "node_id", "created_at",
                     "updated_at", "version"],
        "properties": {
            "id": string(),
            "code": string("The permanent resource code, classification_code/sequence. 资源代码。"),
            "kind": {"type": "string", "enum": CATALOG_KINDS},
            "provider_id": string(),
            "status": {"type": "string", "enum": ENTRY_STATUS},
            "latest_version": {"type": "integer"},
            "published_version": {"type": ["integer", "null"]},
            "share_type": {"type": "string", "enum": SHARE_TYPES,
                           "description": "The most restrictive share type of the items (Art. 18). 共享类型。"},
            "node_id": string(),
            "created_at": string(),
            "updated_at": string(),
            "version": {"allOf": [ref("CatalogVersion")],
                        "description": "The version shown: the published one for readers, the latest for the provider, "
                                       "co-builders, the reviewing authority and administrators."},
        },
    },
    "CatalogEntryList": {"type": "object", "required": ["items"],
                         "properties": {"items": {"type": "array", "items": ref("CatalogEntry")}}},
    "NewCatalogEntry": {
        "type": "object",
        "properties": {
            "provider_code": opt_string("Credit code of the providing department; defaults to the caller's department."),
            "content": ref("CatalogContent"),
        },
        "examples": [{"content": {"kind": "department", "classification_code": "301001", "name": "示例数据资源"}}],
    },
    "CatalogEntryUpdate": {
        "type": "object",
        "properties": {"content": ref("CatalogContent")},
    },
    "ReviewDecision": {
        "type": "object",
        "properties": {
            "decision": {"type": "string", "enum": ["publish", "return"]},
            "reason": opt_string("Required to return an entry. 退回须说明理由。"),
        },
    },
    "Withdrawal": {
        "type": "object",
        "properties": {"reason": string("Why the entry is withdrawn (required). 下架理由。")},
    },
    "FieldChange": {
        "type": "object",
        "required": ["field"],
        "properties": {"field": string("The element path, e.g. summary or items[code].share_type."),
                       "from": opt_string(), "to": opt_string()},
    },
    "CatalogDiff": {
        "type": "object",
        "required": ["from", "to", "changes"],
        "properties": {"from": {"type": "integer"}, "to": {"type": "integer"},
                       "changes": {"type": "array", "items": ref("FieldChange")}},
    },
    "CatalogDocument": {
        "type": "object",
        "description": "A published entry as the search index holds it.",
        "required": ["entry_id", "code", "version", "name", "summary", "item_names", "provider_id", "region_code", "kind",
                     "share_type", "classification_code", "open_to_public", "published_at"],
        "properties": {
            "entry_id": string(), "code": string(), "version": {"type": "integer"}, "name": string(), "summary": string(),
            "item_names": string(), "provider_id": string(), "region_code": string(),
            "kind": {"type": "string", "enum": CATALOG_KINDS}, "share_type": {"type": "string", "enum": SHARE_TYPES},
            "classification_code": string(), "open_to_public": {"type": "boolean"}, "published_at": string(),
        },
    },
    "FacetCount": {"type": "object", "required": ["value", "count"],
                   "properties": {"value": string(), "count": {"type": "integer"}}},
    "CatalogSearchResult": {
        "type": "object",
        "required": ["total", "items", "facets"],
        "properties": {
            "total": {"type": "integer", "description": "Matches in all (items holds one page)."},
            "items": {"type": "array", "items": ref("CatalogDocument")},
            "facets": {"type": "object", "description": "kind, share_type, provider_id, region_code → counts over all matches.",
                       "additionalProperties": {"type": "array", "items": ref("FacetCount")}},
        },
    },
    "DuplicateCheck": {
        "type": "object",
        "properties": {"name": string(maxLength=200), "item_names": {"type": "array", "items": {"type": "string"}}},
    },
    "SimilarEntry": {"type": "object", "required": ["score", "entry"],
                     "properties": {"score": {"type": "number"}, "entry": ref("CatalogDocument")}},
    "SimilarEntryList": {"type": "object", "required": ["items"],
                         "properties": {"items": {"type": "array", "items": ref("SimilarEntry")}}},
    "NewObligation": {
        "type": "object",
        "properties": {
            "trigger": {"type": "string", "enum": ["law_revised", "function_changed"]},
            "date": string("The day the law was revised or the function changed (YYYY-MM-DD).", format="date"),
            "reference": string("The law or decision. 依据文件。", maxLength=500),
            "department_code": string(maxLength=18),
        },
    },
    "Obligation": {
        "type": "object",
        "required": ["id", "trigger", "trigger_date", "reference", "department_id", "due_on", "status", "provisional", "overdue"],
        "properties": {
            "id": string(),
            "trigger": {"type": "string", "enum": ["law_revised", "function_changed"]},
            "trigger_date": string(format="date"),
            "reference": string(),
            "department_id": string(),
            "due_on": string(format="date"),
            "status": {"type": "string", "enum": ["open", "met", "cancelled"]},
            "provisional": {"type": "boolean"},
            "overdue": {"type": "boolean"},
            "met_by_entry_id": opt_string(),
        },
    },
    "ObligationList": {"type": "object", "required": ["items"],
                       "properties": {"items": {"type": "array", "items": ref("Obligation")}}},
    # CKAN
    "CKANError": {
        "type": "object",
        "required": ["help", "success", "error"],
        "properties": {
            "help": string(),
            "success": {"const": False},
            "error": {"type": "object", "required": ["__type", "message"],
                      "properties": {"__type": string(), "message": string()}},
        },
    },
    "CKANExtra": {"type": "object", "required": ["key", "value"], "properties": {"key": string(), "value": string()}},
    "CKANOrganization": {
        "type": "object",
        "required": ["id", "name", "title", "display_name", "description", "type", "state", "is_organization", "extras"],
        "properties": {
            "id": string(), "name": string("The department's credit code."), "title": string(), "display_name": string(),
            "description": string(), "type": {"const": "organization"}, "state": string(), "is_organization": {"type": "boolean"},
            "extras": {"type": "array", "items": ref("CKANExtra")},
            "package_count": {"type": "integer", "description": "organization_show only."},
        },
    },
    "CKANGroup": {
        "type": "object",
        "required": ["id", "name", "title", "display_name", "description"],
        "properties": {"id": string(), "name": string(), "title": string(), "display_name": string(), "description": string()},
    },
    "CKANResource": {
        "type": "object",
        "required": ["id", "package_id", "name", "format", "description", "url"],
        "properties": {"id": string(), "package_id": string(), "name": string(), "format": string(), "description": string(),
                       "url": string()},
    },
    "CKANPackage": {
        "type": "object",
        "description": "A published catalog entry in CKAN's package shape; guide elements without a CKAN field are in extras.",
        "required": ["id", "name", "title", "notes", "owner_org", "organization", "state", "type", "private", "metadata_created",
                     "metadata_modified", "version", "num_resources", "resources", "num_tags", "tags", "groups", "extras",
                     "license_id", "author", "maintainer"],
        "properties": {
            "id": string(), "name": string("The resource code with / replaced by -."), "title": string(), "notes": string(),
            "owner_org": string(), "organization": ref("CKANOrganization"), "state": string(), "type": string(),
            "private": {"type": "boolean"}, "metadata_created": string(), "metadata_modified": string(), "version": string(),
            "num_resources": {"type": "integer"}, "resources": {"type": "array", "items": ref("CKANResource")},
            "num_tags": {"type": "integer"}, "tags": {"type": "array"},
            "groups": {"type": "array", "items": {"type": "object", "required": ["name", "title"],
                                                  "properties": {"name": string(), "title": string()}}},
            "extras": {"type": "array", "items": ref("CKANExtra")},
            "license_id": string(), "author": string(), "maintainer": string(),
        },
    },
    "CKANPackageSearch": {
        "type": "object",
        "required": ["count", "results", "facets", "search_facets", "sort"],
        "properties": {
            "count": {"type": "integer"},
            "results": {"type": "array", "items": ref("CKANPackage")},
            "facets": {"type": "object", "additionalProperties": {"type": "object", "additionalProperties": {"type": "integer"}}},
            "search_facets": {"type": "object", "additionalProperties": {
                "type": "object", "required": ["title", "items"],
                "properties": {"title": string(), "items": {"type": "array", "items": {
                    "type": "object", "required": ["name", "display_name", "count"],
                    "properties": {"name": string(), "display_name": string(), "count": {"type": "integer"}}}}}}},
            "sort": string(),
        },
    },
})


def ckan_envelope(result_schema):
    return {"type": "object", "required": ["help", "success", "result"],
            "properties": {"help": string(), "success": {"const": True}, "result": result_schema}}


CATALOG_ENTRY_ID = path_param("id", "The entry id. 目录编号。")

paths.update({
    "/api/v1/catalog/entries": {"post": op(
        "createCatalogEntry", "Create a catalog entry (draft)",
        "Files a draft and assigns its permanent resource code. Catalogers of the providing department (for thematic "
        "entries also of co-builders). 编制目录草稿并分配资源代码（限编目人员）。",
        ok(201, "The new draft.", "CatalogEntry"), tag="catalog",
        body=json_body("NewCatalogEntry", "The provider and the content."))},
    "/api/v1/catalog/entries/{id}": {
        "get": op(
            "getCatalogEntry", "Show a catalog entry",
            "Readers see the published version; the provider, co-builders, the reviewing authority "
            "and administrators see the latest. Hidden entries answer 404. 查看目录。",
            ok(200, "The entry.", "CatalogEntry"), tag="catalog", forbidden=False, not_found=True, params=[CATALOG_ENTRY_ID]),
        "put": op(
            "updateCatalogEntry", "Edit a catalog entry",
            "Replaces the working draft; editing a published or withdrawn entry starts the next version. 409 while under "
            "review. The kind cannot change. 修改目录（审核中不可修改）。",
            ok(200, "The entry with its new draft.", "CatalogEntry"), tag="catalog", not_found=True, conflict=True,
            params=[CATALOG_ENTRY_ID], body=json_body("CatalogEntryUpdate", "The new content.")),
    },
    "/api/v1/catalog/entries/{id}/submit": {"post": op(
        "submitCatalogEntry", "Submit for review",
        "Checks every rule of the guide (422 lists all problems) and sends the draft to the reviewing data authority. "
        "409 unless a draft or returned. 提交审核。",
        ok(200, "The submitted entry.", "CatalogEntry"), tag="catalog", not_found=True, conflict=True, validates=True,
        params=[CATALOG_ENTRY_ID])},
    "/api/v1/catalog/entries/{id}/review": {"post": op(
        "reviewCatalogEntry", "Publish or return a submitted entry",
        "For reviewers (authority_reviewer) of the provider's data authority. A return needs a reason. 审核：发布或退回。",
        ok(200, "The reviewed entry.", "CatalogEntry"), tag="catalog", not_found=True, conflict=True,
        params=[CATALOG_ENTRY_ID], body=json_body("ReviewDecision", "The decision."))},
    "/api/v1/catalog/entries/{id}/withdraw": {"post": op(
        "withdrawCatalogEntry", "Withdraw a published entry",
        "For reviewers of the provider's data authority; needs a reason. 409 unless published. 下架目录。",
        ok(200, "The withdrawn entry.", "CatalogEntry"), tag="catalog", not_found=True, conflict=True,
        params=[CATALOG_ENTRY_ID], body=json_body("Withdrawal", "The reason."))},
    "/api/v1/catalog/entries/{id}/versions": {"get": op(
        "listCatalogVersions", "Versions of an entry",
        "Every version the caller may see (readers: the published ones). 版本列表。",
        ok(200, "The versions.", "CatalogVersionList"), tag="catalog", forbidden=False, not_found=True,
        params=[CATALOG_ENTRY_ID])},
    "/api/v1/catalog/entries/{id}/diff": {"get": op(
        "diffCatalogVersions", "Compare two versions",
        "The elements that differ between two versions. 版本比对。",
        ok(200, "The changes.", "CatalogDiff"), tag="catalog", forbidden=False, not_found=True, validates=True,
        params=[CATALOG_ENTRY_ID,
                query("from", {"type": "integer"}, "The older version number.", True),
                query("to", {"type": "integer"}, "The newer version number.", True)])},
    "/api/v1/catalog/review-queue": {"get": op(
        "getCatalogReviewQueue", "Entries awaiting my review",
        "Submitted entries whose reviewing authority is the caller's department (authority_reviewer only). 待审核目录。",
        ok(200, "The entries.", "CatalogEntryList"), tag="catalog")},
    "/api/v1/catalog/search": {"get": op(
        "searchCatalog", "Search the published catalog",
        "Full-text search over published entries with facets. Policy directory.read (any role). 目录检索（含分面统计）。",
        ok(200, "One page of matches.", "CatalogSearchResult"), tag="catalog", validates=True,
        params=[query("q", {"type": "string"}, "Words to look for (name, summary, item names)."),
                query("kind", {"type": "string", "enum": CATALOG_KINDS}, "Resource kind."),
                query("share_type", {"type": "string", "enum": SHARE_TYPES}, "Share type."),
                query("region_code", {"type": "string"}, "The provider's region."),
                query("classification", {"type": "string"}, "A classification code prefix."),
                query("provider_code", {"type": "string"}, "The provider's credit code (422 if unknown)."),
                query("rows", {"type": "integer", "minimum": 0, "maximum": 1000}, "Page size."),
                query("start", {"type": "integer", "minimum": 0}, "Offset."),
                query("sort", {"type": "string", "enum": ["relevance", "published_at", "name"]}, "Order.")])},
    "/api/v1/catalog/duplicates": {"post": op(
        "findDuplicateCatalogEntries", "Find similar published entries",
        "Published entries like a planned one, so departments share instead of collecting again (Art. 13). "
        "Policy directory.read. 重复采集检查。",
        ok(200, "Similar entries, most similar first.", "SimilarEntryList"), tag="catalog",
        body=json_body("DuplicateCheck", "The planned resource."))},
    "/api/v1/catalog/obligations": {
        "get": op(
            "listCatalogObligations", "Catalog update obligations",
            "Obligations to update a department's catalog within the working-day limit after a law or function changes "
            "(Art. 9). Policy directory.read. 目录更新义务。",
            ok(200, "The obligations.", "ObligationList"), tag="catalog", validates=True,
            params=[query("department_code", {"type": "string"}, "One department (422 if unknown)."),
                    query("region_code", {"type": "string"}, "The departments of a region (ignored with department_code)."),
                    query("status", {"type": "string"}, "open: only open obligations (any other value: all)."),
                    query("overdue", {"type": "string"}, "true: only open obligations past their due date.")]),
        "post": op(
            "recordCatalogObligation", "Record a catalog update obligation",
            "Starts the working-day clock for a department. Catalogers (own department), authority reviewers and "
            "platform administrators. 登记目录更新义务。",
            ok(201, "The obligation.", "Obligation"), tag="catalog",
            body=json_body("NewObligation", "The trigger.")),
    },
})

schemas.update({
    "BusinessSystemRequest": {
        "type": "object",
        "properties": {
            "name": string(maxLength=200),
            "planned_entries": {"type": "array", "items": {"type": "string"},
                                "description": "Codes (or ids) of the department's own catalog entries the system will provide. "
                                               "本系统将提供的本部门目录。"},
        },
    },
    "BusinessSystem": {
        "type": "object",
        "required": ["id", "name", "department_id", "status", "planned_entries", "created_at", "updated_at"],
        "properties": {
            "id": string(), "name": string(), "department_id": string(),
            "status": {"type": "string", "enum": ["planned", "approved", "accepted"]},
            "planned_entries": {"type": "array", "items": {"type": "string"}, "description": "Entry codes."},
            "created_at": string(), "updated_at": string(),
            "similar_entries": {"type": ["array", "null"], "items": ref("SimilarEntry"),
                                "description": "On registration only: other departments' published entries like this system's, "
                                               "to share instead of collecting again (Art. 13)."},
        },
    },
})

BUSINESS_SYSTEM_ID = path_param("id", "The business system id. 业务系统编号。")
paths.update({
    "/api/v1/business-systems": {"post": op(
        "registerBusinessSystem", "Register a business system project",
        "Registers a planned business system of the caller's department (catalogers and department reviewers) with the "
        "catalog entries it will provide; the answer lists similar published entries of other departments. "
        "登记业务系统项目（第十一条）。",
        ok(201, "The registered system.", "BusinessSystem"), tag="catalog",
        body=json_body("BusinessSystemRequest", "The system."))},
    "/api/v1/business-systems/{id}": {"get": op(
        "getBusinessSystem", "Show a business system",
        "Policy directory.read (any role). 查看业务系统。",
        ok(200, "The system.", "BusinessSystem"), tag="catalog", not_found=True, params=[BUSINESS_SYSTEM_ID])},
    "/api/v1/business-systems/{id}/planned-entries": {"put": op(
        "planBusinessSystemEntries", "Set the planned catalog entries",
        "Replaces the entries the system will provide (its department's catalogers and department reviewers); 409 once "
        "accepted. 设置业务系统计划提供的目录。",
        ok(200, "The system.", "BusinessSystem"), tag="catalog", not_found=True, conflict=True,
        params=[BUSINESS_SYSTEM_ID], body=json_body("BusinessSystemRequest", "planned_entries (name is ignored)."))},
    "/api/v1/business-systems/{id}/approve": {"post": op(
        "approveBusinessSystem", "Approve a business system (立项)",
        "For reviewers of the department's data authority. Refused (422) while the system plans no catalog entry (Art. 11); "
        "409 unless planned. 立项：未编制目录的不予立项。",
        ok(200, "The approved system.", "BusinessSystem"), tag="catalog", not_found=True, conflict=True, validates=True,
        params=[BUSINESS_SYSTEM_ID])},
    "/api/v1/business-systems/{id}/accept": {"post": op(
        "acceptBusinessSystem", "Accept a business system (验收)",
        "For reviewers of the department's data authority. Refused (422) until every planned entry is published (Art. 11); "
        "409 unless approved. 验收：目录未发布的不予验收。",
        ok(200, "The accepted system.", "BusinessSystem"), tag="catalog", not_found=True, conflict=True, validates=True,
        params=[BUSINESS_SYSTEM_ID])},
})

CSV_ENCODING = query("encoding", {"type": "string", "enum": ["utf-8", "gb18030"]},
                     "utf-8 (with BOM) or gb18030; import detects it when omitted.")
paths.update({
    "/api/v1/catalog/import": {"post": op(
        "importCatalog", "Import catalog entries from a spreadsheet (CSV)",
        "Body: a CSV in the catalog template (docs/catalog-template.md), UTF-8 or GB18030. Every resource is checked "
        "against the submission rules; with any problem nothing is imported and each problem is reported by row and "
        "column (field `row N: 列名`). Otherwise all resources are filed as drafts in one transaction. "
        "按目录模板导入，全部成功或全部不导入。",
        {"201": {"description": "The drafts created.", "content": {"application/json": {"schema": {
            "type": "object", "required": ["imported", "entries"],
            "properties": {"imported": {"type": "integer"}, "entries": {"type": "array", "items": {
                "type": "object", "required": ["id", "code", "name"],
                "properties": {"id": {"type": "string"}, "code": {"type": "string"}, "name": {"type": "string"}}}}}}}}}},
        tag="catalog", params=[CSV_ENCODING],
        body={"required": True, "description": "The CSV file.", "content": {"text/csv": {"schema": {"type": "string"}}}})},
    "/api/v1/catalog/export": {"get": op(
        "exportCatalog", "Export the published catalog as a spreadsheet (CSV)",
        "The published entries matching the search filters, in the import template's layout. Policy directory.read. "
        "导出已发布目录（与导入模板一致）。",
        {"200": {"description": "The CSV.", "content": {"text/csv": {"schema": {"type": "string"}}}}},
        tag="catalog", validates=True,
        params=[CSV_ENCODING,
                query("q", {"type": "string"}, "Words to look for."),
                query("kind", {"type": "string", "enum": CATALOG_KINDS}, "Resource kind."),
                query("share_type", {"type": "string", "enum": SHARE_TYPES}, "Share type."),
                query("region_code", {"type": "string"}, "The provider's region."),
                query("classification", {"type": "string"}, "A classification code prefix."),
                query("provider_code", {"type": "string"}, "The provider's credit code (422 if unknown)."),
                query("sort", {"type": "string", "enum": ["relevance", "published_at", "name"]}, "Order.")])},
})

CKAN_ACTIONS = [
    ("package_search", "ckanPackageSearch", "Search datasets",
     "CKAN package_search over the published catalog. fq understands organization:/owner_org:, groups:, share_type:, "
     "kind:, region_code:. 数据集检索（CKAN 兼容）。",
     ref("CKANPackageSearch"),
     [("q", {"type": "string"}, "Words to look for; *:* for all."),
      ("fq", {"type": "string"}, "Filter query, e.g. organization:<credit code> share_type:unconditional."),
      ("rows", {"type": "integer"}, "Page size (clamped to 0-1000; default 10)."),
      ("start", {"type": "integer"}, "Offset."),
      ("sort", {"type": "string"}, "metadata_modified desc, title asc, name asc or score desc."),
      ("facet.field", {"type": "string"}, "Facet fields, a JSON list or comma-separated: organization, owner_org, share_type, kind, groups, region_code.")],
     False),
    ("package_show", "ckanPackageShow", "Show a dataset",
     "CKAN package_show by id or name (the resource code with - for /). A missing id answers 409, an unknown or hidden "
     "dataset 404, both in CKAN's error shape. 查看数据集（CKAN 兼容）。",
     ref("CKANPackage"), [("id", {"type": "string"}, "The entry id or the package name.")], True),
    ("package_list", "ckanPackageList", "List dataset names",
     "CKAN package_list: the names of published datasets. 数据集名称列表。",
     {"type": "array", "items": {"type": "string"}}, [], False),
    ("organization_list", "ckanOrganizationList", "List organizations",
     "CKAN organization_list: department credit codes, or whole organizations with all_fields=true. 机构列表。",
     {"type": "array", "items": {"anyOf": [{"type": "string"}, ref("CKANOrganization")]}},
     [("all_fields", {"type": "string"}, "true or 1 for whole organizations.")], False),
    ("organization_show", "ckanOrganizationShow", "Show an organization",
     "CKAN organization_show by credit code or id, with package_count; unknown answers 404 in CKAN's error shape. 机构详情。",
     ref("CKANOrganization"), [("id", {"type": "string"}, "Credit code or id.")], True),
    ("group_list", "ckanGroupList", "List groups",
     "CKAN group_list: the guide's resource classes (1 base, 2 thematic, 3 department); whole groups with all_fields=true. 分组列表。",
     {"type": "array", "items": {"anyOf": [{"type": "string"}, ref("CKANGroup")]}},
     [("all_fields", {"type": "string"}, "true or 1 for whole groups.")], False),
]

CKAN_SECURITY = [{}, {"bearerAuth": []}]
# CKAN serves its Action API under /api/3/action and /api/action (ckanapi uses the latter); both are the same.
for prefix, id_suffix, alias_note in (("/api/3/action/", "", ""),
                                      ("/api/action/", "Unversioned", "The same as /api/3/action/{action}, under CKAN's unversioned prefix (ckanapi uses it). ")):
    for action, op_id, summary, description, result, params, can_fail in CKAN_ACTIONS:
        base_responses = {"200": {"description": "CKAN success envelope.",
                                  "content": {"application/json": {"schema": ckan_envelope(result)}}}}
        if can_fail:
            for code, text in (("404", "Not found (CKAN error shape)."), ("409", "Missing id (CKAN error shape).")):
                base_responses[code] = {"description": text, "content": {"application/json": {"schema": ref("CKANError")}}}
        common = (alias_note + "Read-only CKAN Action API. Anonymous callers see entries open to the public; callers with a "
                  "bearer token see every published entry. A bearer token that is not valid answers 401. ")
        get_op = op(op_id + "Get" + id_suffix, summary, common + description, dict(base_responses), tag="ckan",
                    forbidden=False, params=[query(n, sch, d) for n, sch, d in params])
        get_op["security"] = CKAN_SECURITY
        body_schema = {"type": "object", "description": "The same parameters as the query (body values win); nested values "
                       "are passed on as JSON text.", "properties": {n: {} for n, _, _ in params}}
        post_op = op(op_id + "Post" + id_suffix, summary + " (POST)",
                     common + "Parameters may also come as a JSON object body (ckanapi's way). " + description,
                     dict(base_responses), tag="ckan", forbidden=False, validates=True,
                     params=[query(n, sch, d) for n, sch, d in params],
                     body={"required": False, "content": {"application/json": {"schema": body_schema}}})
        post_op["security"] = CKAN_SECURITY
        paths[prefix + action] = {"get": get_op, "post": post_op}

doc = {
    "openapi": "3.1.0",
    "info": {
        "title": "GovShare API — 广东省政务数据共享平台",
        "version": "1.0.0",
        "description": (
            "The API of GovShare, the Guangdong provincial government data-sharing platform: the directory of regions "
            "and departments, accounts and API clients, the tamper-evident audit log, the official working-day "
            "calendar, the government data resource catalog, and a read-only CKAN Action API (`/api/3/action/...`, also `/api/action/...`) over "
            "the published catalog.\n\n"
            "Sign in with `POST /api/v1/auth/token` and send `Authorization: Bearer <token>`. Every error is "
            "`application/problem+json` (RFC 7807) with a stable `code`, the `request_id` and field-level `errors`. "
            "Messages follow `Accept-Language` (zh or en).\n\n"
            "广东省政务数据共享平台接口：行政区划与部门目录、用户账号与接口客户端、防篡改审计日志、官方工作日历、政务数据资源目录，"
            "以及面向已发布目录的 CKAN 兼容只读接口（`/api/3/action/...`，亦可用 `/api/action/...`）。"
            "通过 `POST /api/v1/auth/token` 获取访问令牌，并以 `Authorization: Bearer <令牌>` 调用接口。"
            "所有错误均以 `application/problem+json` 返回，包含稳定的错误码、请求编号及字段级错误；"
            "提示信息按 `Accept-Language` 返回中文或英文。"),
    },
    "servers": [{"url": "/"}],
    "tags": [
        {"name": "system", "description": "Health, metrics and this document. 系统。"},
        {"name": "auth", "description": "Tokens and the caller. 认证。"},
        {"name": "directory", "description": "Regions and departments. 行政区划与部门。"},
        {"name": "accounts", "description": "User accounts and API clients. 账号与接口客户端。"},
        {"name": "audit", "description": "The audit log. 审计日志。"},
        {"name": "calendar", "description": "The official working-day calendar. 工作日历。"},
        {"name": "catalog", "description": "The government data resource catalog and business-system gates (Art. 8-18). 政务数据资源目录与业务系统。"},
        {"name": "ckan", "description": "A read-only CKAN Action API over the published catalog. CKAN 兼容只读接口。"},
    ],
    "security": [{"bearerAuth": []}],
    "paths": paths,
    "components": {
        "securitySchemes": {
            "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                           "description": "A token from POST /api/v1/auth/token. 访问令牌。"}
        },
        "schemas": schemas,
        "responses": responses,
    },
}

with open(OUT, "w", encoding="utf-8") as f:
    json.dump(doc, f, ensure_ascii=False, indent=2)
    f.write("\n")
print("wrote", OUT)
