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
         "security_auditor", "operator", "security_officer"]
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
            "from_seq": {"type": "integer", "description": "The first live entry walked: 1, or the entry after the newest "
                         "archived audit segment (its prev_hash must equal the segment's last_hash). 校验起始条目。"},
            "archived_before": opt_string("The archival package holding the entries before from_seq, when some were "
                                          "archived (docs/archiving.md). 归档包。"),
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
    "TooLargeImport": problem_response("The CSV file exceeds 256 MiB (code too_large). 文件超过 256 MiB。"),
    "Error": problem_response("Any other error, e.g. 400 bad request, 500 internal error or 503 unavailable. 其他错误。"),
}


def ok(status, desc, schema_name, content_type="application/json"):
    return {str(status): {"description": desc, "content": {content_type: {"schema": ref(schema_name)}}}}


def op(op_id, summary, description, responses_, *, tag, auth=True, forbidden=True, not_found=False, conflict=False,
       validates=False, body=None, params=None, public=False, too_large="TooLarge"):
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
        r["413"] = rresp(too_large)
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
        "Sets a new password, lifts any sign-in lock and ends the user's existing sessions and tokens. Policy "
        "accounts.manage. 重置密码、解除锁定并使原有会话失效。",
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
        "properties": {"instrument": opt_string("The law or regulation.", maxLength=200), "article": opt_string("The article.", maxLength=100)},
    },
    "DataItem": {
        "type": "object",
        "description": "One data item (信息项) of a resource.",
        "properties": {
            "name": opt_string(maxLength=100),
            "code": opt_string(maxLength=64),
            "data_type": opt_string("C, N, Y, D, T, L, M, G, B, I or F (the guide's item data types)."),
            "length": {"type": ["integer", "null"], "description": "Required for types C and N."},
            "description": opt_string(maxLength=1000),
            "share_type": opt_string("unconditional, conditional or not_shared."),
            "share_conditions": opt_string(maxLength=1000),
            "legal_basis": {"anyOf": [ref("LegalBasis"), {"type": "null"}]},
            "sensitivity": {"type": ["integer", "null"], "description": "1 (public) to 4 (most sensitive)."},
            "is_basic": {"type": ["boolean", "null"], "description": "A basic item of a base resource (Art. 17), always unconditional."},
            "rule": opt_string("An identifier rule reported values must pass: resident_id (GB 11643), credit_code (GB 32100) or "
                               "division_code (GB/T 2260). 校验规则。", maxLength=64),
            "required": {"type": ["boolean", "null"], "description": "Reported rows must carry a value for it. 必填。"},
        },
    },
    "CatalogContent": {
        "type": "object",
        "description": "The catalog elements of the national guide, as the cataloger wrote them. Every element is optional in a "
                       "draft (a draft needs kind, classification_code and name); the full rules apply at submission and "
                       "publication, where every problem is reported at once (422). Every text has a cap (maxLength; enumerated values 64, "
                       "at most 500 items), checked already in a draft (422 max_length / max_count naming the field). "
                       "目录要素；草稿只需类型、分类码和名称，提交时全面校验；各字段长度上限在草稿阶段即校验。",
        "properties": {
            "kind": opt_string("base, thematic or department. 基础、主题或部门信息资源。"),
            "classification_code": opt_string("6-9 digits: class (1, matching kind) + item (2) + category (3) [+ subcategory]. 分类码。"),
            "classification_path": opt_string("Names along the classification. 分类路径。", maxLength=500),
            "name": opt_string(maxLength=200),
            "summary": opt_string(maxLength=2000),
            "format": opt_string("electronic_file, spreadsheet, database, image, streaming, self_describing or service_interface."),
            "items": {"type": ["array", "null"], "items": ref("DataItem"), "maxItems": 500},
            "share_conditions": opt_string(maxLength=1000),
            "legal_basis": {"anyOf": [ref("LegalBasis"), {"type": "null"}]},
            "share_method": opt_string("database, file_download or service_interface."),
            "open_to_public": {"type": ["boolean", "null"]},
            "open_conditions": opt_string(maxLength=1000),
            "update_cycle": opt_string("realtime, daily, weekly, monthly, quarterly, half_yearly, yearly or irregular."),
            "related_codes": {"type": ["array", "null"], "items": {"type": "string", "maxLength": 64}, "maxItems": 100},
            "responsible_party": opt_string(maxLength=200),
            "update_deadline": opt_string(maxLength=200),
            "usage_requirements": opt_string(maxLength=2000),
            "collection_basis": opt_string("law, business_system or consultation."),
            "collection_source": opt_string(maxLength=500),
            "co_builder_codes": {"type": ["array", "null"], "items": {"type": "string", "maxLength": 18}, "maxItems": 20,
                                 "description": "Thematic entries only (422 thematic_only otherwise): credit codes of existing "
                                                "departments other than the provider (422 exists / unique / not_provider), whose "
                                                "catalogers may edit the content. Only the provider's catalogers set or change "
                                                "the list (a co-builder changing it: 403 co_builders_by_provider). 共建部门（仅主题目录，由牵头部门指定）。"},
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
            "home_node": string("Present on a read-only copy of another node's entry (issue 18): the node that manages it; "
                                "editing, reviewing and data requests there are refused with 409 remote_entry. 目录所属节点。"),
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
            "entry_code": string("The department's own entry the change concerns (422 entry_code department_entry for another "
                                 "department's); only its publication meets the obligation. 所涉本部门目录代码。", maxLength=64),
        },
    },
    "ObligationLink": {
        "type": "object",
        "properties": {
            "entry_code": string("A resource code of the obligation's department (`/` or `-` between the parts). 所涉目录代码。",
                                 maxLength=64),
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
            "entry_id": opt_string("The entry the obligation concerns; publishing it meets the obligation. 所涉目录。"),
            "reminded_at": opt_string("When the department was reminded (once). 提醒时间。"),
            "escalated_at": opt_string("When the overdue obligation went to the reviewing authority (once). 督办时间。"),
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
        "Files a draft and assigns its permanent resource code. Catalogers of the providing department only: naming "
        "another provider answers 403 not_provider_cataloger, whoever the content names as co-builders. "
        "编制目录草稿并分配资源代码（限提供部门的编目人员）。",
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
            "review. The kind cannot change. The provider's catalogers, and for a thematic entry the catalogers of the "
            "co-builders it names, who may not change co_builder_codes (403 co_builders_by_provider). 修改目录（审核中不可修改）。",
            ok(200, "The entry with its new draft.", "CatalogEntry"), tag="catalog", not_found=True, conflict=True,
            params=[CATALOG_ENTRY_ID], body=json_body("CatalogEntryUpdate", "The new content.")),
    },
    "/api/v1/catalog/entries/{id}/submit": {"post": op(
        "submitCatalogEntry", "Submit for review",
        "Checks every rule of the guide (422 lists all problems) and sends the draft to the reviewing data authority. "
        "The provider's catalogers only (co-builders edit but do not submit). 409 unless a draft or returned. 提交审核。",
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
            "Starts the working-day clock for a department. Catalogers (own department), authority reviewers (the "
            "departments their authority reviews: the province's on provincial departments, a city's on its city and "
            "the counties without their own authority, a county's on its county; otherwise 403 not_reviewing_authority) "
            "and platform administrators. `entry_code` names the department's entry the change concerns (422 rule "
            "`department_entry` for another department's, `exists` for an unknown code); only publishing that entry "
            "meets the obligation — publishing any other changes nothing (Art. 9). 登记目录更新义务。",
            ok(201, "The obligation.", "Obligation"), tag="catalog",
            body=json_body("NewObligation", "The trigger.")),
    },
    "/api/v1/catalog/obligations/{id}/link": {"post": op(
        "linkCatalogObligation", "Link an obligation to the entry it concerns",
        "Names (or corrects) the entry an open obligation concerns, e.g. the entry filed for a new function; only "
        "publishing that entry meets it (Art. 9). The same callers as recording one: the department's catalogers, the "
        "reviewing authority's reviewers (403 not_reviewing_authority otherwise) and platform administrators. 422 "
        "entry_code required / exists / department_entry (another department's entry); 409 obligation_closed when it "
        "is no longer open; 404 for an unknown obligation. Audited (catalog.obligation.link). 关联所涉目录。",
        ok(200, "The obligation.", "Obligation"), tag="catalog", not_found=True, conflict=True, validates=True,
        params=[path_param("id", "The obligation id. 义务编号。")], body=json_body("ObligationLink", "The entry."))},
    "/api/v1/catalog/obligations/sweep": {"post": op(
        "sweepCatalogObligations", "Send obligation reminders and escalate now",
        "Reminds each department of an open obligation due within `catalog_reminder_working_days` working days (default "
        "3), and tells the reviewing authority of each overdue one; each happens once per obligation, into the "
        "departments' inboxes (GET /api/v1/notifications). The server does it every 30 s; `govshare catalog "
        "obligations sweep` does it from the command line. Policy calendar.manage (platform_admin, operator). "
        "目录更新义务到期前提醒，逾期提交主管部门督办（第九条）。",
        ok(200, "What was done.", "SweepResult"), tag="catalog")},
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

# ---------------------------------------------------------------- exchange (Art. 15-22, 28)
UPDATE_CYCLES = ["realtime", "daily", "weekly", "monthly", "quarterly", "half_yearly", "yearly", "irregular"]
ITEM_DATA_TYPES = ["C", "N", "Y", "D", "T", "L", "M", "G", "B", "I", "F"]
BATCH_MODES = ["all_or_nothing", "row"]
MASKS = ["clear", "keep_first_6_last_4", "keep_surname", "keep_first_3_last_4", "keep_last_4", "keep_first_third", "hidden"]
FILTER_OPERATORS = ["eq", "in", "gte", "lte", "gt", "lt", "prefix"]
SCALAR = {"type": ["string", "number", "boolean", "null"]}

schemas.update({
    "DatasetColumn": {
        "type": "object",
        "description": "A column of a mounted dataset: one data item of the catalog entry. 数据集字段（对应目录信息项）。",
        "required": ["item", "name", "data_type", "share_type", "sensitivity", "required"],
        "properties": {
            "item": string("The item code; records are keyed by it. 信息项代码。"),
            "name": string("The item name. 信息项名称。"),
            "data_type": {"type": "string", "enum": ITEM_DATA_TYPES},
            "share_type": {"type": "string", "enum": SHARE_TYPES},
            "sensitivity": {"type": "integer", "description": "1 (public) to 4 (most sensitive). 敏感级别。"},
            "length": {"type": ["integer", "null"], "description": "Absent when the item declares none."},
            "rule": opt_string("A check applied to reported values, e.g. resident_id, credit_code, division_code; absent when none."),
            "required": {"type": "boolean", "description": "Reported rows must carry a value. 必填。"},
        },
    },
    "Dataset": {
        "type": "object",
        "description": "The data mounted behind a published database or spreadsheet catalog entry (Art. 15). 挂接数据集。",
        "required": ["id", "entry_id", "entry_code", "provider_id", "primary_key", "update_cycle", "created_at", "entry_version",
                     "row_count", "stale", "columns"],
        "properties": {
            "id": string(),
            "entry_id": string(),
            "entry_code": string("The resource code. 资源代码。"),
            "provider_id": string("The providing department's id."),
            "primary_key": string("The item code that identifies a row. 主键信息项。"),
            "update_cycle": {"type": "string", "enum": UPDATE_CYCLES},
            "created_at": string(),
            "entry_version": {"type": "integer", "description": "The published catalog version the columns come from."},
            "row_count": {"type": "integer"},
            "last_updated_at": opt_string("When rows were last reported; absent before the first batch. 最近更新时间。"),
            "stale": {"type": "boolean",
                      "description": "The data is older than its update cycle allows (Art. 21). 超过更新周期未更新。"},
            "columns": {"type": "array", "items": ref("DatasetColumn")},
            "quality": {"type": ["object", "null"],
                        "description": "How reported rows have fared against the items' rules (Art. 22). Only in GET "
                                       "/api/v1/datasets/{code}; absent in the list. 数据质量：校验行数、不合格行数及按规则统计。",
                        "required": ["checked", "failed", "by_rule"],
                        "properties": {
                            "checked": {"type": "integer", "description": "Rows checked. 已校验行数。"},
                            "failed": {"type": "integer", "description": "Rows that failed a check. 不合格行数。"},
                            "by_rule": {"type": "object", "additionalProperties": {"type": "integer"},
                                        "description": "Rule → failures. 按规则统计的不合格次数。"},
                        }},
        },
    },
    "MountRequest": {
        "type": "object",
        "required": ["entry_code"],
        "properties": {
            "entry_code": string("The resource code (or entry id) of a published database or spreadsheet entry of the caller's "
                                 "department. 资源代码。", maxLength=64),
            "primary_key": opt_string("An item code of the entry; defaults to its first item. 主键，默认第一个信息项。"),
        },
        "examples": [{"entry_code": "101001/000001", "primary_key": "GMSFHM"}],
    },
    "RowsRequest": {
        "type": "object",
        "description": "At least one of upsert and delete must be non-empty (422). upsert 与 delete 至少一项非空。",
        "properties": {
            "batch_id": opt_string("The caller's id for the batch; repeating it applies nothing again and answers the first "
                                   "batch (200, replayed). 批次编号，重复提交不会重复写入。"),
            "mode": {"type": ["string", "null"], "enum": BATCH_MODES + [None],
                     "description": "all_or_nothing (default): any bad row refuses the whole batch (422 batch_rejected, errors "
                                    "`row N.ITEM`); row: good rows are applied, bad ones returned in rejected_rows. "
                                    "整批校验或逐行导入。"},
            "upsert": {"type": ["array", "null"], "description": "Rows to insert or replace, keyed by item code. 新增或更新的行。",
                       "items": {"type": "object", "additionalProperties": SCALAR}},
            "delete": {"type": ["array", "null"], "items": {"type": "string"},
                       "description": "Primary key values of rows to delete. 待删除行的主键值。"},
        },
        "examples": [{"batch_id": "2026-05-01-001", "mode": "all_or_nothing",
                      "upsert": [{"GMSFHM": "440106199001011234", "XM": "张三"}], "delete": []}],
    },
    "RowProblem": {
        "type": "object",
        "required": ["row", "rule", "message"],
        "properties": {
            "row": {"type": "integer", "description": "1-based row number (of upsert, or of the CSV data lines). 行号。"},
            "item": opt_string("The item at fault; absent for a problem with the whole row."),
            "rule": string(),
            "message": string("In the caller's language."),
        },
    },
    "Batch": {
        "type": "object",
        "description": "A report batch (报送批次).",
        "required": ["id", "dataset_id", "source", "mode", "created_by", "department_id", "created_at", "received", "accepted",
                     "rejected", "deleted", "replayed"],
        "properties": {
            "id": string(),
            "dataset_id": string(),
            "source": {"type": "string", "enum": ["api", "file", "cli"]},
            "mode": {"type": "string", "enum": BATCH_MODES},
            "created_by": string(),
            "department_id": string(),
            "created_at": string(),
            "client_batch_id": opt_string("The caller's batch_id; absent when none was given."),
            "received": {"type": "integer"},
            "accepted": {"type": "integer"},
            "rejected": {"type": "integer", "description": "Rows refused (mode row)."},
            "deleted": {"type": "integer"},
            "replayed": {"type": "boolean", "description": "The batch_id was seen before; nothing was applied again. 重复提交。"},
            "rejected_rows": {"type": ["array", "null"], "items": ref("RowProblem"),
                              "description": "In answers to a report: the refused rows' problems (empty unless mode is row). "
                                             "Absent in the batch history. 被拒绝的行。"},
        },
    },
    "PullSourceRequest": {
        "type": "object",
        "required": ["connection_url", "table", "watermark_column"],
        "properties": {
            "connection_url": string("postgres://user:password@host:port/database (or postgresql://) of the department's own "
                                     "database. Stored sealed (ChaCha20-Poly1305); never returned, only its host. "
                                     "源数据库连接串，加密保存，不回显。"),
            "table": string("The source table, a database identifier; schema.table allowed. 源表名。"),
            "watermark_column": string("A column that grows with every change (e.g. updated_at or a sequence); rows above the "
                                       "last watermark are pulled. 增量水位列。"),
            "column_map": {"type": ["object", "null"], "additionalProperties": {"type": "string"},
                           "description": "Item code → source column; must map the primary key item. Default: every item "
                                          "to its code lower-cased. 信息项代码 → 源列名，默认信息项代码的小写。"},
            "interval_minutes": {"type": ["integer", "null"], "minimum": 1, "maximum": 10080,
                                 "description": "Minutes between scheduled pulls, 1-10080 (default 60). 拉取间隔（分钟）。"},
        },
        "examples": [{"connection_url": "postgres://reader:secret@db.example.gov.cn:5432/population", "table": "public.residents",
                      "watermark_column": "updated_at", "column_map": {"GMSFHM": "id_number", "XM": "name"},
                      "interval_minutes": 60}],
    },
    "PullSource": {
        "type": "object",
        "description": "A department's PostgreSQL table the platform pulls from on a schedule, incrementally by a watermark "
                       "column (Art. 15). The connection URL is never returned, only its host. 数据拉取源。",
        "required": ["id", "dataset_id", "host", "table", "watermark_column", "created_at", "column_map", "interval_minutes",
                     "rows_pulled", "enabled"],
        "properties": {
            "id": string(),
            "dataset_id": string(),
            "host": string("The host of the connection URL (no credentials). 源数据库主机。"),
            "table": string("The source table. 源表名。"),
            "watermark_column": string("The watermark column. 增量水位列。"),
            "created_at": string(),
            "column_map": {"type": "object", "additionalProperties": {"type": "string"},
                           "description": "Item code → source column. 信息项代码 → 源列名。"},
            "interval_minutes": {"type": "integer", "description": "Minutes between scheduled pulls. 拉取间隔（分钟）。"},
            "rows_pulled": {"type": "integer", "description": "Rows applied by pulls so far. 累计拉取行数。"},
            "enabled": {"type": "boolean"},
            "last_watermark": opt_string("The watermark reached; rows are read in (watermark, key) order and the next pull "
                                         "starts after (last_watermark, last_key). Absent before the first chunk. 已拉取到的水位。"),
            "last_key": opt_string("The source key of the last row pulled at last_watermark. 该水位上最后拉取的主键。"),
            "last_run_at": opt_string("When the source last ran; absent before the first run. 最近运行时间。"),
            "last_error": opt_string("Why the last run stopped, or what the department must fix at the source: rows the "
                                     "platform rejected (the first three reasons, by watermark and key) and rows without a "
                                     "watermark, which are never pulled. Absent when there is nothing. 最近一次失败原因或源数据问题。"),
        },
    },
    "FilterOperators": {
        "type": "object",
        "description": "Operators on one item; in takes a comma-separated list. Masked items allow only eq and in. "
                       "筛选运算符；脱敏信息项只能精确匹配。",
        "properties": {name: SCALAR for name in FILTER_OPERATORS},
        "additionalProperties": False,
    },
    "QueryRequest": {
        "type": "object",
        "properties": {
            "purpose": opt_string("The subscription or grant id the read is done under; omit or provider for the provider's own "
                                  "data. 读取依据：订阅编号或授权编号。"),
            "fields": {"type": ["array", "null"], "items": {"type": "string"},
                       "description": "Item codes to return (default: every item the purpose covers). Asking for an item the "
                                      "purpose does not cover answers 403 item_not_permitted. 返回的信息项。"},
            "filters": {"type": ["object", "null"], "description": "Item code → a value (equals), a list (in) or operators. 筛选条件。",
                        "additionalProperties": {"anyOf": [SCALAR, {"type": "array", "items": SCALAR}, ref("FilterOperators")]}},
            "q": opt_string("Words to look for in clear text items. 检索词。", maxLength=100),
            "sort": opt_string("ITEM asc or ITEM desc (a readable, unmasked item). 排序。"),
            "limit": {"type": ["integer", "null"], "minimum": 1, "maximum": 1000, "description": "Page size (default 100)."},
            "after": opt_string("The `next` cursor of the previous page, sent with the same query (dataset, sort, filters, q) "
                                "by the same reader under the same purpose; any other use is 422 (field after, rule cursor). 翻页游标。",
                                maxLength=16384),
            "format": {"type": ["string", "null"], "enum": ["json", "csv", None], "description": "json (default) or csv."},
            "record_tokens": {"type": ["boolean", "null"],
                              "description": "JSON only: each record also carries _token, its key sealed for the reader's department, "
                                             "to name the record in an objection when the key is masked to the reader. 返回记录标识。"},
        },
        "examples": [{"purpose": "01J0000000000000000000000", "fields": ["XM", "GMSFHM"], "filters": {"GMSFHM": "440106199001011234"},
                      "limit": 100}],
    },
    "QueryField": {
        "type": "object",
        "required": ["id", "name", "type", "mask", "mask_description"],
        "properties": {
            "id": string("The item code."),
            "name": string("The item name."),
            "type": {"type": "string", "enum": ITEM_DATA_TYPES},
            "mask": {"type": "string", "enum": MASKS, "description": "How values are masked for this reader. 脱敏规则。"},
            "mask_description": string("The mask in the caller's language."),
        },
    },
    "QueryRecord": {
        "type": "object",
        "description": "One row: item code → value (masked where the rule says so), null where the row has none.",
        "additionalProperties": {"type": ["string", "null"]},
    },
    "QueryResponse": {
        "type": "object",
        "required": ["resource", "purpose", "fields", "records", "read_id"],
        "properties": {
            "resource": string("The resource code."),
            "purpose": string("The subscription or grant id, or provider."),
            "fields": {"type": "array", "items": ref("QueryField")},
            "records": {"type": "array", "items": ref("QueryRecord")},
            "next": opt_string("The cursor of the next page (send it as after); absent on the last page. 下一页游标。"),
            "read_id": {"type": "integer", "description": "The audit sequence number of this read (also X-Read-Id). 读取记录编号。"},
            "flagged_records": {"type": "integer", "description":
                "How many records of this page are under a confirmed, uncorrected objection (Art. 21); each such record "
                "carries _objection, the objection's id (in CSV, the last column _objection). 存疑记录数。"},
        },
    },
    "SubscriptionRequest": {
        "type": "object",
        "required": ["entry_code", "items", "purpose"],
        "properties": {
            "entry_code": string("The resource code. 资源代码。", maxLength=64),
            "items": {"type": "array", "items": {"type": "string"}, "minItems": 1,
                      "description": "Unconditional item codes only; others need a grant (Art. 19). 仅限无条件共享信息项。"},
            "purpose": string("The duty the data is used for (Art. 16). 使用用途。", maxLength=500),
            "business": {"type": ["string", "null"], "maxLength": 500, "description": "The business matter it serves. 所办业务。"},
            "users": {"type": ["array", "null"], "maxItems": 50, "items": {"type": "string", "maxLength": 200},
                      "description": "The people or systems that will use it. 使用人员或系统。"},
        },
        "examples": [{"entry_code": "101001/000001", "items": ["XM"], "purpose": "核验办事人身份", "business": "社保参保登记",
                      "users": ["社保经办系统"]}],
    },
    "Subscription": {
        "type": "object",
        "required": ["id", "department_id", "entry_id", "purpose", "created_by", "created_at", "items"],
        "properties": {
            "id": string("Use it as purpose in queries. 查询时作为读取依据。"),
            "department_id": string(),
            "entry_id": string(),
            "purpose": string(),
            "created_by": string(),
            "created_at": string(),
            "items": {"type": "array", "items": {"type": "string"}},
            "revoked_at": opt_string("Absent while active."),
            "business": opt_string("The business matter it serves. 所办业务。"),
            "users": {"type": "array", "items": {"type": "string"}, "description": "Who will use it. 使用人员或系统。"},
        },
    },
    "GrantRequest": {
        "type": "object",
        "required": ["department_code", "entry_code", "items", "purpose", "valid_until"],
        "properties": {
            "department_code": string("Credit code of the department granted access. 被授权部门。", maxLength=18),
            "entry_code": string("The resource code.", maxLength=64),
            "items": {"type": "array", "items": {"type": "string"}, "minItems": 1,
                      "description": "Granted item codes (not not_shared ones). 授权信息项。"},
            "clear_items": {"type": "array", "items": {"type": "string"},
                            "description": "Items among `items` returned unmasked. 明文信息项。"},
            "purpose": string(maxLength=500),
            "valid_until": string("The last day of validity, not in the past (YYYY-MM-DD). 有效期至。", format="date"),
        },
    },
    "Grant": {
        "type": "object",
        "required": ["id", "department_id", "entry_id", "purpose", "valid_from", "valid_until", "status", "created_by",
                     "created_at", "items", "clear_items", "in_force"],
        "properties": {
            "id": string("Use it as purpose in queries."),
            "department_id": string(),
            "entry_id": string(),
            "purpose": string(),
            "valid_from": string(format="date"),
            "valid_until": string(format="date"),
            "status": {"type": "string", "enum": ["proposed", "active", "suspended", "revoked"],
                       "description": "proposed: made outside the workflow, waiting for a second person's confirmation and, "
                                      "for clear graded items, the provider's consent; nothing is read under it. 待复核。"},
            "created_by": string(),
            "created_at": string(),
            "items": {"type": "array", "items": {"type": "string"}},
            "clear_items": {"type": "array", "items": {"type": "string"}},
            "revoked_reason": opt_string("Absent unless revoked."),
            "data_manager": opt_string("The holder's person answerable for the data (Art. 21), from the application. 数据管理人。"),
            "in_force": {"type": "boolean", "description": "Active and within valid_from..valid_until today: reads are "
                         "allowed under it. An active grant past valid_until is expired. 当前是否有效。"},
            "application_id": opt_string("The application the grant answers; absent for grants made by hand. 对应申请。"),
            "approved_by": opt_string("Who confirmed a grant made outside the workflow (not its proposer). 复核人。"),
            "approved_at": opt_string("When it was confirmed. 复核时间。"),
            "provider_consent": {"type": "string", "enum": ["not_needed", "pending", "given"],
                                 "description": "The provider's consent to clear access to graded items (grade 3-4). 提供部门同意。"},
            "provider_consent_by": opt_string("The provider's reviewer who consented. 同意人。"),
        },
    },
    "GrantDecision": {
        "type": "object",
        "properties": {
            "confirm": {"type": "boolean", "description": "For /confirm: true confirms, false refuses (reason required). 复核结论。"},
            "consent": {"type": "boolean", "description": "For /consent: true consents, false refuses (reason required). 是否同意。"},
            "reason": string("Why (required when refusing). 理由。", maxLength=500),
        },
    },
    "VerificationRequest": {
        "type": "object",
        "required": ["values"],
        "properties": {
            "purpose": string("The subscription or grant the check is made under; the provider may omit it. 读取依据。"),
            "values": {"type": "object", "minProperties": 1, "maxProperties": 5,
                       "additionalProperties": {"type": "string", "maxLength": 200},
                       "description": "Item code → the clear value the caller holds; must include an identifying item (the key, "
                                      "a resident ID or a credit code). 待核验的信息项及明文值。"},
        },
    },
    "Verification": {
        "type": "object",
        "required": ["match", "items", "purpose_id", "checked_at"],
        "properties": {
            "match": {"type": "boolean", "description": "Whether one record holds exactly these values. 是否一致。"},
            "items": {"type": "array", "items": {"type": "string"}},
            "purpose_id": string(),
            "checked_at": string(),
        },
    },
    "RevokeReason": {
        "type": "object",
        "required": ["reason"],
        "properties": {"reason": string("Why the grant is revoked. 撤销理由。", maxLength=500)},
    },
    "DataRead": {
        "type": "object",
        "description": "One recorded read of shared data (Art. 28). 数据读取记录。",
        "required": ["audit_seq", "dataset_id", "entry_code", "actor_id", "actor_name", "department_id", "purpose_id", "filter",
                     "read_at", "request_id", "items", "rows"],
        "properties": {
            "audit_seq": {"type": "integer", "description": "The audit log seq of the read (the read_id the reader got)."},
            "dataset_id": string(),
            "entry_code": string(),
            "actor_id": string(),
            "actor_name": string(),
            "department_id": string(),
            "purpose_id": string("The subscription or grant id, or provider."),
            "filter": string("The filter, with values of sensitive items withheld."),
            "read_at": string(),
            "request_id": string(),
            "items": {"type": "array", "items": {"type": "string"}},
            "rows": {"type": "integer"},
        },
    },
    # CKAN DataStore
    "CKANDatastoreField": {
        "type": "object",
        "required": ["id", "type", "info"],
        "properties": {
            "id": string("The item code."),
            "type": {"type": "string", "enum": ["numeric", "text"]},
            "info": {"type": "object", "required": ["label", "mask"],
                     "properties": {"label": string("The item name."), "mask": {"type": "string", "enum": MASKS}}},
        },
    },
    "CKANDatastoreSearch": {
        "type": "object",
        "required": ["resource_id", "fields", "records", "limit", "offset", "_links", "read_id"],
        "properties": {
            "resource_id": string("As given."),
            "fields": {"type": "array", "items": ref("CKANDatastoreField")},
            "records": {"type": "array", "items": ref("QueryRecord")},
            "limit": {"type": "integer"},
            "offset": {"type": "integer"},
            "total": {"type": "integer", "description": "Matching rows; absent with include_total=false."},
            "_links": {"type": "object", "required": ["start", "next"],
                       "properties": {"start": string(), "next": string()}},
            "read_id": {"type": "integer", "description": "The audit seq of this read (GovShare's addition)."},
        },
    },
})

DATASET_CODE = path_param("code", "The resource code of a published entry with a dataset, with - for / (e.g. 101001-000001, "
                                  "CKAN's package name), or the entry id. 资源代码（/ 写作 -）或目录编号。")
READ_ID_HEADER = {"X-Read-Id": {"required": True, "schema": {"type": "string"},
                                "description": "The audit sequence number of the read. 读取记录编号。"}}
BATCH_RESPONSES = {**ok(201, "The batch applied.", "Batch"),
                   **ok(200, "Replayed: the batch_id was seen before and nothing was applied again; the first batch.", "Batch")}
paths.update({
    "/api/v1/datasets": {
        "get": op(
            "listDatasets", "List mounted datasets",
            "Every mounted dataset, optionally only the stale ones (Art. 21). Policy directory.read (any role). 挂接数据集列表。",
            {"200": {"description": "The datasets.", "content": {"application/json": {"schema": {
                "type": "array", "items": ref("Dataset")}}}}},
            tag="exchange", validates=True,
            params=[query("stale", {"type": "string", "enum": ["true", "false"]},
                          "true: only datasets older than their update cycle allows. 仅列出超期未更新的。")]),
        "post": op(
            "mountDataset", "Mount a dataset",
            "Mounts the data behind a published database or spreadsheet entry of the caller's department; its columns are "
            "the entry's items. Policy data.report (cataloger, department_reviewer, platform_admin) and the provider only "
            "(403 not_provider). 404 for an unknown or unpublished entry; 409 already_mounted. 挂接数据集（第十五条）。",
            ok(201, "The new dataset.", "Dataset"), tag="exchange", not_found=True, conflict=True,
            body=json_body("MountRequest", "The entry and its primary key.")),
    },
    "/api/v1/datasets/{code}": {"get": op(
        "getDataset", "Show a dataset",
        "Policy directory.read (any role). 查看挂接数据集。",
        ok(200, "The dataset.", "Dataset"), tag="exchange", not_found=True, params=[DATASET_CODE])},
    "/api/v1/datasets/{code}/rows": {"post": op(
        "reportDatasetRows", "Report rows (JSON)",
        "Inserts, replaces and deletes rows, checked against the items' types, lengths and rules. all_or_nothing refuses the "
        "batch on any bad row (422 batch_rejected; `errors` names each `row N.ITEM`); row applies the good rows and returns "
        "the bad ones in rejected_rows. A repeated batch_id answers 200 with the first batch. Policy data.report, provider "
        "only. 报送数据（JSON），整批或逐行。",
        BATCH_RESPONSES, tag="exchange", not_found=True, validates=True, params=[DATASET_CODE],
        body=json_body("RowsRequest", "The rows."))},
    "/api/v1/datasets/{code}/import": {"post": op(
        "importDatasetCSV", "Report rows (CSV)",
        "Body: a CSV file (up to 256 MiB, UTF-8 or GB18030) whose header names the items by code or name; the rows are "
        "checked and applied as with JSON reporting (mode, batch_id). Policy data.report, provider only. "
        "以 CSV 文件报送数据。",
        BATCH_RESPONSES, tag="exchange", not_found=True, validates=True, too_large="TooLargeImport",
        params=[DATASET_CODE,
                query("mode", {"type": "string", "enum": BATCH_MODES}, "all_or_nothing (default) or row. 整批或逐行。"),
                query("batch_id", {"type": "string"}, "The caller's batch id (a repeat applies nothing). 批次编号。"),
                CSV_ENCODING],
        body={"required": True, "description": "The CSV file.", "content": {"text/csv": {"schema": {"type": "string"}}}})},
    "/api/v1/datasets/{code}/batches": {"get": op(
        "listDatasetBatches", "Report batch history",
        "The latest 200 batches, newest first: for the provider's staff, the data authority over the provider (not "
        "another authority), auditors, administrators and operators (others get 403; the portal shows everyone the "
        "counts). 报送批次记录。",
        {"200": {"description": "The batches.", "content": {"application/json": {"schema": {
            "type": "array", "items": ref("Batch")}}}}},
        tag="exchange", not_found=True, params=[DATASET_CODE])},
    "/api/v1/datasets/{code}/query": {"post": op(
        "queryDataset", "Query a dataset",
        "Reads rows under a subscription or grant (purpose), or as the provider. Only the items the purpose covers are "
        "returned, masked by their sensitivity unless granted in clear; the read is recorded before rows are returned "
        "(read_id, X-Read-Id). Masked items cannot be filtered, sorted or searched (422 masked_item): checking a value "
        "one holds is POST /datasets/{code}/verify. Policy "
        "data.read (data_user, cataloger, department_reviewer). 按订阅或授权读取数据，记录每次读取（第十六、二十八条）。",
        {"200": {"description": "One page of rows: JSON, or CSV with format csv (the next cursor in X-Next-Cursor).",
                 "headers": {**READ_ID_HEADER, "X-Next-Cursor": {"schema": {"type": "string"},
                                                                 "description": "CSV only: the cursor of the next page."}},
                 "content": {"application/json": {"schema": ref("QueryResponse")},
                             "text/csv": {"schema": {"type": "string"}}}},
         "403": problem_response("Not permitted (code forbidden or read_not_permitted), or asking for items the purpose does "
                                 "not cover (code item_not_permitted; `errors` names each as fields.ITEM). 无权读取。")},
        tag="exchange", forbidden=False, not_found=True, validates=True, params=[DATASET_CODE],
        body=json_body("QueryRequest", "The query."))},
    "/api/v1/datasets/{code}/verify": {"post": op(
        "verifyIdentity", "Check values one holds against a record (identity verification)",
        "Answers match or no match for clear values the caller already holds (e.g. an ID number and a name), never the "
        "record. Every item must be readable under the purpose (masked is enough), one must identify the record (the key, "
        "a resident ID or a credit code: 422 identifier_required). Limited per department and dataset "
        "(verification_per_minute, default 30; verification_per_day, default 2000: 429 verification_rate_limited) and per "
        "department and record (verification_per_record_per_day, default 5: 429 verification_record_limited); each "
        "check is audited as a read "
        "(data.verify) referencing the record checked. Policy data.read. 身份核验：仅回答是否一致。",
        {**ok(200, "Match or no match.", "Verification"),
         "429": problem_response("The department has used its checks on the dataset (code verification_rate_limited) or on this record "
                                "today (code verification_record_limited). 核验次数已达上限。")},
        tag="exchange", not_found=True, validates=True, params=[DATASET_CODE],
        body=json_body("VerificationRequest", "The values to check."))},
})

PULL_SOURCE_ID = path_param("id", "The pull source id. 数据拉取源编号。")
paths.update({
    "/api/v1/datasets/{code}/pull-sources": {
        "post": op(
            "createPullSource", "Register a pull source",
            "Registers a table in the department's own PostgreSQL database that the platform pulls from on a schedule, "
            "incrementally by the watermark column: each run reads rows above the last watermark in chunks, each reported "
            "row by row as a batch with batch id pull-<source>-<watermark>, so a failed or interrupted run resumes where "
            "it stopped and never applies a chunk twice. The connection URL is stored sealed (ChaCha20-Poly1305) and only "
            "its host is shown. The server runs due pulls every 30 s; `govshare data pull` runs them from the command line. "
            "Policy data.report (cataloger, department_reviewer, platform_admin) and the provider only (403 not_provider). "
            "422 names each field at fault (connection_url, table, watermark_column, column_map.ITEM, interval_minutes); "
            "a host on this machine, link-local, unspecified, multicast or reserved, in any spelling, is 422 outbound_address "
            "on connection_url, and every connection checks the resolved address again. "
            "登记数据拉取源：平台按水位列定时增量拉取部门自有 PostgreSQL 表，分块逐行报送，失败后从断点续拉；连接串加密保存。",
            ok(201, "The pull source.", "PullSource"), tag="exchange", not_found=True, validates=True, params=[DATASET_CODE],
            body=json_body("PullSourceRequest", "The source table and its mapping.")),
        "get": op(
            "listPullSources", "List a dataset's pull sources",
            "Policy data.report; the provider or a platform administrator (403 otherwise). 数据集的拉取源列表。",
            {"200": {"description": "The pull sources.", "content": {"application/json": {"schema": {
                "type": "array", "items": ref("PullSource")}}}}},
            tag="exchange", not_found=True, params=[DATASET_CODE]),
    },
    "/api/v1/pull-sources/{id}/run": {"post": op(
        "runPullSource", "Run a pull now",
        "Pulls everything new from the source now, chunk by chunk, and answers the source's state afterwards. A failed run "
        "still answers 200, with the reason in last_error; the next run resumes from last_watermark. Every failure to read "
        "the source (address refused, no connection, TLS, login, missing table or column) reads the same in last_error, "
        "so a pull cannot tell whether a host exists or a password works. Policy data.report, "
        "provider only. 立即拉取；失败原因记录在 last_error。",
        ok(200, "The pull source after the run.", "PullSource"), tag="exchange", not_found=True, params=[PULL_SOURCE_ID])},
})

SUBSCRIPTION_ID = path_param("id", "The subscription id. 订阅编号。")
GRANT_ID = path_param("id", "The grant id. 授权编号。")
READ_PERIOD = [query("from", {"type": "string"}, "From this timestamp or date. 起始时间。"),
               query("to", {"type": "string"}, "Up to this timestamp or date. 截止时间。")]
DATA_READ_LIST = {"200": {"description": "The reads, newest first.", "content": {"application/json": {"schema": {
    "type": "array", "items": ref("DataRead")}}}}}
paths.update({
    "/api/v1/subscriptions": {
        "post": op(
            "subscribe", "Subscribe to unconditional items",
            "Self-service access for the caller's department to unconditional items of a published entry (Art. 19); "
            "conditional items need a grant. Policy data.read. 404 for an unknown or unpublished entry. 自助订阅无条件共享信息项。",
            ok(201, "The subscription.", "Subscription"), tag="exchange", not_found=True, validates=True,
            body=json_body("SubscriptionRequest", "The entry, items and purpose.")),
        "get": op(
            "listSubscriptions", "My department's subscriptions",
            "Any signed-in caller: the subscriptions of the caller's department. 本部门的订阅。",
            {"200": {"description": "The subscriptions.", "content": {"application/json": {"schema": {
                "type": "array", "items": ref("Subscription")}}}}},
            tag="exchange"),
    },
    "/api/v1/subscriptions/{id}/revoke": {"post": op(
        "revokeSubscription", "Revoke a subscription",
        "The subscribing department or a platform administrator; others get 404. Revoking twice answers the revoked "
        "subscription. 撤销订阅。",
        ok(200, "The revoked subscription.", "Subscription"), tag="exchange", not_found=True, params=[SUBSCRIPTION_ID])},
    "/api/v1/grants": {
        "post": op(
            "createGrant", "Propose a grant of items to a department",
            "Proposes granting a department items of a published entry until valid_until, some of them in clear, outside the "
            "application workflow. The grant is `proposed` until a second person confirms it (POST /grants/{id}/confirm) "
            "and, when clear items are graded 3-4, the provider consents (POST /grants/{id}/consent). It can never benefit "
            "the proposer's department (403 own_department). Policy grants.manage (the data authority over the provider, "
            "platform_admin). 提出手工授权（四眼原则，不得惠及本部门）。",
            ok(201, "The grant.", "Grant"), tag="exchange", not_found=True, validates=True,
            body=json_body("GrantRequest", "The grant.")),
        "get": op(
            "listGrants", "List grants",
            "The grants the caller's department holds; an authority reviewer also those on resources of the departments "
            "its authority reviews; platform administrators all. 授权列表。",
            {"200": {"description": "The grants.", "content": {"application/json": {"schema": {
                "type": "array", "items": ref("Grant")}}}}},
            tag="exchange"),
    },
    "/api/v1/grants/{id}/revoke": {"post": op(
        "revokeGrant", "Revoke a grant",
        "Needs a reason. Policy grants.manage (platform_admin). 撤销授权。",
        ok(200, "The revoked grant.", "Grant"), tag="exchange", not_found=True, validates=True, params=[GRANT_ID],
        body=json_body("RevokeReason", "The reason."))},
    "/api/v1/grants/{id}/confirm": {"post": op(
        "confirmGrant", "Confirm or refuse a proposed grant (second person)",
        "Another reviewer of the same data authority, or a platform administrator, from a department other than the "
        "grant's (403 four_eyes for the proposer, own_department for the beneficiary). Confirming makes the grant active "
        "unless the provider's consent is awaited; refusing (confirm false, reason) revokes it. 409 grant_not_proposed. "
        "Policy grants.manage. 授权复核。",
        ok(200, "The grant.", "Grant"), tag="exchange", not_found=True, conflict=True, validates=True, params=[GRANT_ID],
        body=json_body("GrantDecision", "The decision."))},
    "/api/v1/grants/{id}/consent": {"post": op(
        "consentToGrant", "The provider consents to clear access under a proposed grant",
        "A reviewer of the provider's department (neither the proposer nor the confirmer) consents to, or refuses "
        "(consent false, reason), clear access to graded items. 409 consent_not_pending. Policy grants.consent "
        "(department_reviewer). 提供部门同意明文授权。",
        ok(200, "The grant.", "Grant"), tag="exchange", not_found=True, conflict=True, validates=True, params=[GRANT_ID],
        body=json_body("GrantDecision", "The consent."))},
    "/api/v1/data-reads": {"get": op(
        "traceDataReads", "Trace data reads",
        "Who read what (Art. 28): every read that returned a record (record), of a dataset, or by a department in a period. "
        "404 for an unknown dataset, 422 for an unknown department. Policy data.trace (security_auditor). "
        "数据读取追溯（限安全审计员）。",
        DATA_READ_LIST, tag="exchange", not_found=True, validates=True,
        params=[query("record", {"type": "string"}, "A primary key value, e.g. an ID number: reads that returned that row. "
                                                    "记录主键值。"),
                query("dataset", {"type": "string"}, "A resource code (/ or -) or entry id. 资源代码。"),
                query("department", {"type": "string"}, "The reading department's credit code. 读取部门。"),
                *READ_PERIOD,
                query("limit", {"type": "integer", "minimum": 1, "maximum": 1000, "default": 200}, "At most this many reads.")])},
    "/api/v1/data-reads/unusual": {"get": op(
        "listUnusualDataReads", "Unusual data reads",
        "Reads returning well more rows than that department's median on the same dataset (at least 5 reads to compare, "
        "more than factor × median and more than 10 rows). Policy data.trace (security_auditor). 异常读取。",
        DATA_READ_LIST, tag="exchange", validates=True,
        params=[*READ_PERIOD,
                query("factor", {"type": "number", "default": 3}, "How many times the median counts as unusual. 倍数。")])},
})

# ---------------------------------------------------------------- mounts: inherited, files, service interfaces (Art. 15, 20)
BINARY = {"type": "string", "format": "binary"}
responses["TooLargeFile"] = problem_response("The file exceeds 64 MiB (code too_large). 文件超过 64 MiB。")

schemas.update({
    "InheritRequest": {
        "type": "object",
        "properties": {
            "note": opt_string("How the department uses the upper-level system; empty when omitted. 继承说明。"),
        },
        "examples": [{"note": "使用省级统一建设的人口信息系统"}],
    },
    "InheritedMount": {
        "type": "object",
        "description": "A department's record that it uses the upper-level unified system behind a dataset instead of "
                       "mounting its own copy (Art. 15). 继承挂接：本部门使用上级统一建设系统的数据集。",
        "required": ["id", "dataset_id", "department_id", "note", "created_at"],
        "properties": {
            "id": string(),
            "dataset_id": string("The inherited dataset. 被继承的数据集。"),
            "department_id": string("The inheriting department. 继承部门。"),
            "note": string("Empty when none was given. 继承说明。"),
            "created_at": string(),
        },
    },
    "ResourceFile": {
        "type": "object",
        "description": "A file of an electronic-file or image resource, stored by its SHA-256 and checked against it on "
                       "every download. 文件类资源的文件，按 SHA-256 存储，每次下载均校验。",
        "required": ["id", "entry_id", "file_name", "content_type", "sha256", "uploaded_at", "size"],
        "properties": {
            "id": string("Download it with GET /api/v1/files/{id}. 文件编号。"),
            "entry_id": string("The catalog entry. 目录编号。"),
            "file_name": string("文件名。"),
            "content_type": string("The Content-Type it was uploaded with (application/octet-stream when none). 内容类型。"),
            "sha256": string("The SHA-256 of the content, lower-case hex. 内容的 SHA-256 校验和。"),
            "uploaded_at": string(),
            "size": {"type": "integer", "description": "Bytes. 字节数。"},
        },
    },
    "ServiceMountRequest": {
        "type": "object",
        "required": ["endpoint"],
        "properties": {
            "endpoint": string("The provider's http(s) endpoint the platform calls with GET; stored sealed "
                               "(ChaCha20-Poly1305), never returned, only its host. 提供部门接口地址，加密保存，不回显。",
                               format="uri"),
        },
        "examples": [{"endpoint": "https://api.example.gov.cn/population/verify"}],
    },
    "ServiceMount": {
        "type": "object",
        "description": "A service-interface resource's endpoint, called by the platform on the reader's behalf (Art. 20). "
                       "The endpoint is never returned, only its host. 服务接口挂接；接口地址不回显。",
        "required": ["id", "entry_id", "host", "created_at"],
        "properties": {
            "id": string(),
            "entry_id": string(),
            "host": string("The host of the endpoint. 接口主机。"),
            "created_at": string(),
        },
    },
    "ServiceCallRequest": {
        "type": "object",
        "properties": {
            "purpose": opt_string("The subscription or grant id the call is made under; omit or provider for the provider "
                                  "itself. 读取依据：订阅编号或授权编号。"),
            "parameters": {"type": ["object", "null"], "additionalProperties": SCALAR,
                           "description": "Passed to the endpoint as query parameters, as text; null values are left out. "
                                          "调用参数（作为查询参数转发，null 忽略）。"},
        },
        "examples": [{"purpose": "01J0000000000000000000000", "parameters": {"GMSFHM": "440106199001011234"}}],
    },
    "ServiceCallResponse": {
        "type": "object",
        "description": "The endpoint's answer as records, keeping only the items the reader may read, masked by their "
                       "sensitivity unless granted in clear. 接口返回的记录，仅含可读信息项并按规则脱敏。",
        "required": ["fields", "records"],
        "properties": {
            "fields": {"type": "array", "items": ref("QueryField")},
            "records": {"type": "array", "items": ref("QueryRecord")},
        },
    },
})

RESOURCE_CODE = path_param("code", "The resource code of a published entry, with - for / (e.g. 101001-000001), or the entry "
                                   "id. 资源代码（/ 写作 -）或目录编号。")
FILE_ID = path_param("id", "The file id. 文件编号。")
READ_FORBIDDEN = problem_response("Not permitted (code forbidden: the caller's roles lack data.read; or read_not_permitted: "
                                  "the subscription or grant is not the caller's, not for this resource, revoked or "
                                  "expired). 无权读取。")
paths.update({
    "/api/v1/datasets/{code}/inherit": {"post": op(
        "inheritDataset", "Inherit an upper-level dataset",
        "Records that the caller's department uses the upper-level unified system behind this dataset instead of mounting "
        "its own (Art. 15): the dataset's provider must be of a higher administrative level than the caller's department "
        "(422 rule upper_level, field entry_code). Policy data.report (cataloger, department_reviewer, platform_admin). "
        "404 for an unknown entry or one without a dataset; 409 already_inherited. Audited (dataset.inherit). "
        "登记继承上级统一建设系统的数据集（第十五条）。",
        ok(201, "The inherited mount.", "InheritedMount"), tag="exchange", not_found=True, conflict=True, validates=True,
        params=[DATASET_CODE], body=json_body("InheritRequest", "An optional note."))},
    "/api/v1/datasets/{code}/inherited": {"get": op(
        "listInheritedMounts", "Departments inheriting a dataset",
        "The departments that inherit this dataset. Policy directory.read (any role). 继承该数据集的部门。",
        {"200": {"description": "The inherited mounts.", "content": {"application/json": {"schema": {
            "type": "array", "items": ref("InheritedMount")}}}}},
        tag="exchange", not_found=True, params=[DATASET_CODE])},
    "/api/v1/resources/{code}/files": {
        "post": op(
            "uploadResourceFile", "Upload a file",
            "Body: the file itself (any content type, up to 64 MiB), its name in file_name. Only electronic-file or image "
            "resources take files (422 rule format, field entry_code); an empty body or a missing file_name answers 422. "
            "The content is stored by its SHA-256. Policy data.report and the provider only (403 not_provider); 404 for "
            "an unknown or unpublished entry. Audited (file.upload). 上传文件类资源的文件（不超过 64 MiB）。",
            ok(201, "The stored file.", "ResourceFile"), tag="exchange", not_found=True, validates=True,
            too_large="TooLargeFile",
            params=[RESOURCE_CODE,
                    query("file_name", {"type": "string", "minLength": 1, "maxLength": 200},
                          "The file's name (at most 200 characters). 文件名。", required=True)],
            body={"required": True, "description": "The file's bytes; its Content-Type is kept as the file's type. 文件内容。",
                  "content": {"*/*": {"schema": BINARY}}}),
        "get": op(
            "listResourceFiles", "List a resource's files",
            "The files of a published entry. Policy directory.read (any role). 404 for an unknown or unpublished entry. "
            "资源的文件列表。",
            {"200": {"description": "The files.", "content": {"application/json": {"schema": {
                "type": "array", "items": ref("ResourceFile")}}}}},
            tag="exchange", not_found=True, params=[RESOURCE_CODE]),
    },
    "/api/v1/files/{id}": {"get": op(
        "downloadFile", "Download a file",
        "The file's bytes for a reader entitled to its resource under a subscription or grant (purpose), or the provider, "
        "by the same access policy as queries (Policy data.read). purpose is required for anyone but the provider (422). "
        "The download is audited (file.download) before the bytes are returned, and the stored content is checked against "
        "its SHA-256: 503 checksum_mismatch if it no longer matches. 下载文件：按订阅或授权校验、记录审计，并校验 SHA-256。",
        {"200": {"description": "The file, with its own Content-Type.",
                 "headers": {
                     "X-Checksum-SHA256": {"required": True, "schema": {"type": "string"},
                                           "description": "The SHA-256 of the content, lower-case hex. 校验和。"},
                     "Content-Disposition": {"required": True, "schema": {"type": "string"},
                                             "description": "attachment; filename*=UTF-8''<file name>"}},
                 "content": {"*/*": {"schema": BINARY}}},
         "403": READ_FORBIDDEN,
         "503": problem_response("The stored file no longer matches its SHA-256 (code checksum_mismatch). 文件校验和不符。")},
        tag="exchange", forbidden=False, not_found=True, validates=True,
        params=[FILE_ID,
                query("purpose", {"type": "string"}, "The subscription or grant id the download is made under; the provider "
                                                     "may omit it. 读取依据。")])},
    "/api/v1/resources/{code}/service": {"post": op(
        "mountService", "Mount a service endpoint",
        "Mounts the provider's http(s) endpoint behind a published service-interface resource (422 rule format, field "
        "entry_code, for other resources; rule url, field endpoint, for anything but an http(s) URL). The endpoint is stored "
        "sealed (ChaCha20-Poly1305) and never returned, only its host. Policy data.report and the provider only "
        "(403 not_provider); 404 for an unknown or unpublished entry; 409 already_mounted. Audited (service.mount). "
        "挂接服务接口（第二十条）；接口地址加密保存。",
        ok(201, "The service mount.", "ServiceMount"), tag="exchange", not_found=True, conflict=True, validates=True,
        params=[RESOURCE_CODE], body=json_body("ServiceMountRequest", "The endpoint."))},
    "/api/v1/resources/{code}/call": {"post": op(
        "callService", "Call a service interface",
        "The platform calls the provider's endpoint (GET, the parameters as query parameters, 10 s timeout) on the reader's "
        "behalf under a subscription or grant (purpose), or as the provider, by the same access policy as queries (Policy "
        "data.read). The answer (a JSON array of objects, an object with records, or one object) is returned as records with "
        "only the items the reader may read, masked by their sensitivity unless granted in clear. A parameter named after "
        "an item is a filter on it: 403 item_not_permitted unless the reader may read that item; a parameter the endpoint "
        "address already fixes is 422 reserved. The call is a traceable read (service.call, a data read with a reference "
        "per returned record by the key item) recorded before the answer is returned. 404 for an unknown resource or one without an endpoint; 503 "
        "upstream_failed when the endpoint cannot be reached (whatever the cause) or does not answer 2xx JSON; 503 "
        "upstream_redirect when it answers with a redirect, which is never followed. "
        "代理调用服务接口：按订阅或授权过滤信息项、脱敏并记录审计。",
        {"200": {"description": "The records.", "content": {"application/json": {"schema": ref("ServiceCallResponse")}}},
         "403": READ_FORBIDDEN,
         "503": problem_response("The provider's endpoint could not be reached or did not answer properly (code "
                                 "upstream_failed), or answered with a redirect (code upstream_redirect). 提供部门接口未正常响应。")},
        tag="exchange", forbidden=False, not_found=True, validates=True,
        params=[RESOURCE_CODE], body=json_body("ServiceCallRequest", "The purpose and parameters."))},
})

# ---------------------------------------------------------------- sharing applications (Art. 16, 19, 21)
APPLICATION_STATUS = ["under_review", "info_requested", "approved", "refused", "withdrawn"]
REVIEWER_ROLES = ["authority", "provider"]
STRINGS = {"type": "array", "items": {"type": "string"}}

schemas.update({
    "ApplicationRequest": {
        "type": "object",
        "description": "An application for conditional items of a published entry (Art. 19). Every field is checked by the "
                       "server and all problems are reported at once (422). 共享申请；服务器统一校验，一次返回全部错误。",
        "required": ["entry_code", "items", "purpose", "business", "basis", "contact", "data_manager", "valid_until"],
        "properties": {
            "entry_code": string("The resource code (/ or -) or entry id of a published entry of another department. 资源代码。",
                                 maxLength=64),
            "items": {"type": "array", "items": {"type": "string"}, "minItems": 1,
                      "description": "Item codes applied for; not_shared items cannot be applied for. 申请的信息项。"},
            "purpose": string("What the data is used for. 使用用途。", maxLength=1000),
            "business": string("The business (duty) it serves. 应用业务。", maxLength=1000),
            "basis": string("The basis for the request, e.g. the law the duty comes from. 申请依据。", maxLength=1000),
            "users": {"type": ["array", "null"], "items": {"type": "string"},
                      "description": "The systems or people that will use the data. 使用对象。"},
            "contact": string("The applicant's contact person. 联系人。", maxLength=200),
            "data_manager": string("Who manages the data on the applicant's side. 数据管理人。", maxLength=200),
            "share_method": opt_string("Defaults to the entry's share method (service_interface when it has none). 共享方式。"),
            "valid_until": string("The last day of use, after today and at most grant_max_years (default three) years "
                                  "ahead (YYYY-MM-DD). 使用期限。", format="date"),
            "clear_items": {"type": ["array", "null"], "items": ref("ClearNeed"),
                            "description": "Items needed in clear, each with the business reason (Art. 17, 19). Only items "
                                           "applied for that would otherwise be masked (grade 3-4, resident ID numbers, "
                                           "birth dates); 422 not_requested, unique, reason_required or not_masked otherwise. "
                                           "需要明文的信息项及理由。"},
        },
        "examples": [{"entry_code": "101001/000001", "items": ["GMSFHM", "HJDZ"], "purpose": "核定社会保险待遇时核验参保人户籍",
                      "business": "企业职工基本养老保险待遇核定", "basis": "《社会保险法》第五十八条", "users": ["社保经办系统"],
                      "contact": "李工 020-12345678", "data_manager": "省人社厅数据管理科 王科长", "valid_until": "2026-06-30"}],
    },
    "ClearNeed": {
        "type": "object",
        "description": "An item needed in clear and why. 需要明文的信息项及理由。",
        "required": ["item", "reason"],
        "properties": {"item": string("The item code. 信息项代码。", maxLength=64),
                       "reason": string("Why the business needs the clear value. 明文理由。", maxLength=2000)},
    },
    "ApplicationRefusal": {
        "type": "object",
        "description": "A refused item with reasons and the law or regulation allowing the refusal (Art. 16). 拒绝的信息项、理由及法律依据。",
        "properties": {
            "item": opt_string("The item code refused. 信息项代码。"),
            "reason": opt_string("Why (required). 拒绝理由（必填）。"),
            "basis": {"anyOf": [ref("LegalBasis"), {"type": "null"}],
                      "description": "Instrument and article, both required; the instrument must be a law or regulation "
                                     "(《…法》, 条例, 规定, 办法, 决定, 细则, 规则) — an internal rule is not a basis (Art. 16). "
                                     "须注明法律法规名称及条款，内部规定不能作为依据。"},
        },
    },
    "ApplicationReviewRequest": {
        "type": "object",
        "description": "One side's decision: every requested item is either approved or refused, none both. "
                       "每个申请的信息项须批准或拒绝。",
        "properties": {
            "approved_items": {"type": ["array", "null"], "items": {"type": "string"}, "description": "Items approved. 批准的信息项。"},
            "refusals": {"type": ["array", "null"], "items": ref("ApplicationRefusal"), "description": "Items refused. 拒绝的信息项。"},
            "conditions": opt_string("Conditions of use. 使用条件。"),
            "valid_until": opt_string("A shorter period of use (YYYY-MM-DD); the grant runs until the earliest of the "
                                      "applicant's and both sides' dates. 批准的使用期限。"),
            "overrule_provider": {"type": ["boolean", "null"],
                                  "description": "Authority only: set aside the provider's refusals (Art. 16); 422 "
                                                 "nothing_to_overrule when there are none. 主管部门纠正提供部门的拒绝意见。"},
            "clear_items": {"type": ["array", "null"], "items": {"type": "string"},
                            "description": "Approved items this side lets the applicant read in clear; only items asked for "
                                           "in clear (422 not_asked) and approved (422 not_approved). An item is clear under "
                                           "the grant only when both sides approve it clear (the authority alone when the "
                                           "provider was silent or overruled). 批准明文的信息项。"},
        },
        "examples": [{"approved_items": ["GMSFHM"],
                      "refusals": [{"item": "HJDZ", "reason": "户籍地址属敏感个人信息，核定待遇无需地址",
                                    "basis": {"instrument": "《中华人民共和国个人信息保护法》", "article": "第六条"}}],
                      "conditions": "仅用于待遇核定"}],
    },
    "ApplicationDecision": {
        "type": "object",
        "description": "One reviewer's decision. 一方的审核意见。",
        "required": ["role", "reviewer_id", "reviewer_name", "department_id", "approved_items", "conditions", "refusals",
                     "decided_at"],
        "properties": {
            "role": {"type": "string", "enum": REVIEWER_ROLES},
            "reviewer_id": string(),
            "reviewer_name": string(),
            "department_id": string(),
            "approved_items": STRINGS,
            "conditions": string("Empty when none. 使用条件。"),
            "refusals": {"type": "array", "items": {
                "type": "object", "required": ["item", "reason", "instrument", "article"],
                "properties": {"item": string(), "reason": string(), "instrument": string("The law or regulation."),
                               "article": string("The article.")}}},
            "valid_until": opt_string("Absent when the reviewer set none."),
            "decided_at": string(),
            "overruled_by": opt_string("The authority reviewer who set this (provider) decision aside; absent otherwise. "
                                       "纠正该意见的主管部门审核人。"),
            "clear_items": {"type": "array", "items": {"type": "string"},
                            "description": "Items this side approved in clear. 批准明文的信息项。"},
            "without_provider": {"type": "boolean",
                                 "description": "The authority decided alone: the provider had not decided by its silence "
                                                "point (Art. 19). 主管部门单独决定。"},
        },
    },
    "InfoRequest": {
        "type": "object",
        "description": "A reviewer's request for more information; the clock is paused until the applicant answers. "
                       "补充材料要求；答复前计时暂停。",
        "required": ["asked_by", "question", "asked_at"],
        "properties": {
            "asked_by": string("The reviewer's id."),
            "question": string(),
            "asked_at": string(format="date"),
            "answer": opt_string("Absent until answered."),
            "answered_at": opt_string("Absent until answered.", format="date"),
            "paused_working_days": {"type": ["integer", "null"],
                                    "description": "Working days the clock was paused; absent until answered. 暂停的工作日数。"},
        },
    },
    "Application": {
        "type": "object",
        "description": "A conditional-sharing application with its reply clock (Art. 19). 共享申请及答复期限。",
        "required": ["id", "status", "status_name", "applicant_department_id", "applicant_id", "contact", "data_manager",
                     "entry_id", "entry_code", "provider_id", "authority_id", "items", "purpose", "business", "basis", "users",
                     "share_method", "valid_until", "received_on", "created_at", "due_provisional", "overdue", "decisions",
                     "info_requests"],
        "properties": {
            "id": string(),
            "status": {"type": "string", "enum": APPLICATION_STATUS},
            "status_name": string("The status in the caller's language. 状态名称。"),
            "applicant_department_id": string(),
            "applicant_id": string(),
            "contact": string(),
            "data_manager": string(),
            "entry_id": string(),
            "entry_code": string("The resource code. 资源代码。"),
            "provider_id": string("The providing department, one reviewing side. 提供部门。"),
            "authority_id": string("The data authority reviewing the provider, the other side. 审核的政务数据主管部门。"),
            "items": STRINGS,
            "purpose": string(),
            "business": string(),
            "basis": string(),
            "users": STRINGS,
            "share_method": string(),
            "valid_until": string(),
            "received_on": string("The day the clock started. 受理日。", format="date"),
            "created_at": string(),
            "grant_id": opt_string("The grant the approval created; absent unless approved. 批准后生成的授权。"),
            "decided_at": opt_string("Absent while open."),
            "escalated_at": opt_string("When the overdue application was escalated to the authority; absent otherwise. 逾期督办时间。"),
            "due_on": opt_string("The reply due date; absent if the deadline is missing. 答复期限。", format="date"),
            "due_provisional": {"type": "boolean",
                                "description": "The due date runs into a year whose official calendar is not loaded yet. "
                                               "涉及尚未公布工作日历的年份。"},
            "overdue": {"type": "boolean", "description": "Open and past the due date. 已逾期。"},
            "clear_items": {"type": "array", "items": ref("ClearNeed"), "description": "Items asked for in clear. 申请明文的信息项。"},
            "provider_silent_at": opt_string("When the provider's silence was established (it had not decided by its point); "
                                             "from then the authority decides alone (Art. 19). 提供部门逾期未答复的确认时间。"),
            "silence_point": opt_string("While open: the first day the authority may decide without the provider "
                                        "(provider_silence_working_days before the due date). 提供部门答复节点。", format="date"),
            "decisions": {"type": "array", "items": ref("ApplicationDecision")},
            "info_requests": {"type": "array", "items": ref("InfoRequest")},
        },
    },
    "QuestionRequest": {
        "type": "object",
        "required": ["question"],
        "properties": {"question": string("What the reviewers need to know. 需补充的内容。", maxLength=2000)},
        "examples": [{"question": "请提供待遇核定的具体业务文件"}],
    },
    "AnswerRequest": {
        "type": "object",
        "required": ["answer"],
        "properties": {"answer": string("The applicant's answer. 补充材料。", maxLength=4000)},
        "examples": [{"answer": "附《养老保险待遇核定办法》"}],
    },
    "ReplyStatistics": {
        "type": "object",
        "description": "How one department answered applications in one role, with lateness counted against whoever "
                       "held the application: a provider until its silence point, the authority until the due date "
                       "(Art. 19). 部门按角色的答复情况统计。",
        "required": ["department_id", "role", "received", "answered", "answered_on_time", "late", "open", "silent"],
        "properties": {
            "department_id": string("The department."),
            "role": {"type": "string", "enum": REVIEWER_ROLES, "description": "provider or authority. 审核角色。"},
            "received": {"type": "integer", "description": "Applications received. 收到的申请数。"},
            "answered": {"type": "integer", "description": "Decided by this side. 已答复。"},
            "answered_on_time": {"type": "integer", "description": "Decided by this side's point (provider: silence point; "
                                                                   "authority: due date). 按期答复。"},
            "late": {"type": "integer", "description": "Decided after this side's point, or undecided past it. 逾期。"},
            "open": {"type": "integer", "description": "Not decided yet. 未答复。"},
            "silent": {"type": "integer", "description": "Provider rows: applications the provider had not answered by its "
                                                         "point, so the authority decided alone. 提供部门逾期未答复数。"},
            "average_working_days": {"type": ["number", "null"],
                                     "description": "Average working days from receipt to decision (one decimal); absent "
                                                    "before any decision. 平均答复工作日数。"},
        },
    },
    "SweepResult": {
        "type": "object",
        "required": ["reminded", "escalated"],
        "properties": {
            "reminded": {"type": "integer", "description": "Applications reminded about. 已提醒。"},
            "escalated": {"type": "integer", "description": "Overdue applications escalated. 已督办。"},
        },
    },
    "InboxMessage": {
        "type": "object",
        "description": "A message in the department's inbox. 部门消息。",
        "required": ["id", "kind", "subject_type", "subject_id", "message", "created_at"],
        "properties": {
            "id": string(),
            "kind": string("e.g. application.received, application.info_requested, application.answered, "
                           "application.approved, application.refused, application.reminder, application.overdue."),
            "subject_type": string("e.g. application."),
            "subject_id": string(),
            "message": string("In the caller's language."),
            "created_at": string(),
            "read_at": opt_string("Absent while unread. 未读时不返回。"),
        },
    },
    "RenewRequest": {
        "type": "object",
        "required": ["reason"],
        "properties": {
            "valid_until": opt_string("Renew only (required there): the new last day, after today (YYYY-MM-DD); ignored by "
                                      "suspend and resume. 续期至（续期必填）。"),
            "reason": string("Why (required). 理由（必填）。", maxLength=500),
        },
        "examples": [{"valid_until": "2027-06-30", "reason": "业务延续"}],
    },
    "GrantUsage": {
        "type": "object",
        "description": "Reads under a grant (Art. 21). 授权使用情况。",
        "required": ["grant_id", "reads", "rows"],
        "properties": {
            "grant_id": string(),
            "reads": {"type": "integer", "description": "Recorded reads. 读取次数。"},
            "rows": {"type": "integer", "description": "Rows returned in all. 返回行数。"},
            "last_read_at": opt_string("Absent before the first read. 最近读取时间。"),
        },
    },
})

APPLICATION_ID = path_param("id", "The application id. 申请编号。")
APPLICATION_LIST = {"200": {"description": "The applications.", "content": {"application/json": {"schema": {
    "type": "array", "items": ref("Application")}}}}}
NOT_A_REVIEWER = problem_response("The caller is not a reviewer of this application: an authority_reviewer of its data "
                                  "authority or a department_reviewer of its provider (code forbidden). 非该申请的审核人。")
REVIEW_CONFLICT = problem_response("Code not_under_review (information requested, or already decided), already_decided "
                                   "(the caller's side has decided) or review_order (the configured order has the other "
                                   "side first). 不在审核中、本方已审核或未到本方审核。")
GRANT_CHANGE_CONFLICT = problem_response("The grant is revoked (code grant_revoked). 授权已撤销。")
paths.update({
    "/api/v1/applications": {
        "post": op(
            "applyForSharing", "Apply for conditional items",
            "Files an application for conditional items of another department's published entry (Art. 19) and starts the "
            "reply clock: application_reply_working_days (default 10) working days from receipt by the official calendar "
            "(due_on), provisional (due_provisional) when it runs into a year whose calendar is not loaded yet, paused "
            "while information is requested. The provider and its data authority are told in their inboxes. Policy data.read (data_user, cataloger, department_reviewer). 422 names every field at fault "
            "(entry_code, items, items.ITEM with rule not_shared or unknown_item, purpose, business, basis, contact, "
            "data_manager, valid_until; entry_code rule own_resource for the caller's own resource); 404 for an unknown or "
            "unpublished entry. 提交共享申请，按工作日开始计时（默认 10 个工作日）。",
            ok(201, "The application.", "Application"), tag="sharing", not_found=True,
            body=json_body("ApplicationRequest", "The application.")),
        "get": op(
            "listApplications", "List applications",
            "With scope=review: the caller's review queue (open applications the caller reviews), overdue first, then by "
            "due date. Otherwise: the applications of the caller's department. Any signed-in caller. "
            "scope=review 为待我审核（逾期优先、按期限排序），否则为本部门提交的申请。",
            APPLICATION_LIST, tag="sharing", forbidden=False,
            params=[query("scope", {"type": "string"}, "review: the caller's review queue (any other value: the "
                                                       "department's own applications). 审核队列。")]),
    },
    "/api/v1/applications/statistics": {"get": op(
        "getApplicationStatistics", "Reply statistics",
        "Per provider department: applications received, answered, answered on time, late (answered after the due date or "
        "still open past it), open, and the average working days to a decision — for the authority's supervision. "
        "Policy directory.read (any role). 各提供部门答复情况统计。",
        {"200": {"description": "One row per provider department.", "content": {"application/json": {"schema": {
            "type": "array", "items": ref("ReplyStatistics")}}}}},
        tag="sharing")},
    "/api/v1/applications/sweep": {"post": op(
        "sweepApplications", "Send reminders and escalate now",
        "Reminds the provider and the authority of applications under review due within 2 working days, and escalates "
        "overdue ones to the authority; each happens once per application. The server does it every 30 s; "
        "`govshare applications sweep` does it from the command line. Policy calendar.manage (platform_admin, operator). "
        "到期前 2 个工作日提醒，逾期提交主管部门督办。",
        ok(200, "What was done.", "SweepResult"), tag="sharing")},
    "/api/v1/applications/{id}": {"get": op(
        "getApplication", "Show an application",
        "For the applicant's department, its reviewers, platform administrators and security auditors; others get 404. "
        "查看共享申请。",
        ok(200, "The application.", "Application"), tag="sharing", forbidden=False, not_found=True,
        params=[APPLICATION_ID])},
    "/api/v1/applications/{id}/review": {"post": op(
        "reviewApplication", "Decide an application",
        "Joint review (Art. 19) by the provider (department_reviewer) and its data authority (authority_reviewer), in "
        "the order application_review_order sets: authority_first, provider_first or parallel (default). Each side "
        "approves or refuses every requested item; a refusal needs reasons and a legal basis — a law or regulation and "
        "its article, an internal rule is not a basis (Art. 16). The authority may set the provider's refusals aside "
        "(overrule_provider). When both sides have decided, the application is approved with a grant for the items both "
        "approved (valid until the earliest date given), or refused when there are none; the authority refusing "
        "everything refuses at once. 422 rules: reason_required, legal_basis_required, not_a_legal_basis, undecided, "
        "not_requested, overlap, nothing_to_overrule. 联合审核：拒绝须说明理由及法律法规依据；双方均批准的信息项生成授权。",
        {**ok(200, "The application.", "Application"), "403": NOT_A_REVIEWER, "409": REVIEW_CONFLICT},
        tag="sharing", forbidden=False, not_found=True, params=[APPLICATION_ID],
        body=json_body("ApplicationReviewRequest", "The decision."))},
    "/api/v1/applications/{id}/request-info": {"post": op(
        "requestApplicationInfo", "Ask the applicant for information",
        "A reviewer asks a question; the application becomes info_requested and the clock pauses until the applicant "
        "answers. 409 not_under_review. 要求申请方补充材料，计时暂停。",
        {**ok(200, "The application.", "Application"), "403": NOT_A_REVIEWER,
         "409": problem_response("The application is not under review (code not_under_review). 不在审核中。")},
        tag="sharing", forbidden=False, not_found=True, params=[APPLICATION_ID],
        body=json_body("QuestionRequest", "The question."))},
    "/api/v1/applications/{id}/respond": {"post": op(
        "respondToApplicationInfoRequest", "Answer an information request",
        "The applicant's department answers; the application is under review again and the due date moves by the "
        "working days the clock was paused (paused_working_days). 403 for other departments; 409 no_open_question. "
        "申请方补充材料，期限顺延暂停的工作日数。",
        {**ok(200, "The application.", "Application"),
         "403": problem_response("Only the applicant's department answers (code forbidden). 仅申请部门可答复。"),
         "409": problem_response("No question awaits an answer (code no_open_question). 没有待答复的要求。")},
        tag="sharing", forbidden=False, not_found=True, params=[APPLICATION_ID],
        body=json_body("AnswerRequest", "The answer."))},
    "/api/v1/applications/{id}/withdraw": {"post": op(
        "withdrawApplication", "Withdraw an application",
        "The applicant's department withdraws an open application with a reason; its clock stops and the provider and "
        "authority are told. 403 for other departments that may see it; 409 application_decided. 申请方撤回申请。",
        {**ok(200, "The application.", "Application"),
         "403": problem_response("Only the applicant's department withdraws (code forbidden). 仅申请部门可撤回。"),
         "409": problem_response("The application is decided (code application_decided). 申请已办结。")},
        tag="sharing", forbidden=False, not_found=True, params=[APPLICATION_ID],
        body=json_body("RevokeReason", "Why. 理由。"))},
    "/api/v1/notifications": {"get": op(
        "listNotifications", "The department's inbox",
        "Messages for the caller's department: applications received, questions, answers, decisions, reminders and "
        "escalations. Any signed-in caller. 本部门消息。",
        {"200": {"description": "The messages.", "content": {"application/json": {"schema": {
            "type": "array", "items": ref("InboxMessage")}}}}},
        tag="sharing", forbidden=False,
        params=[query("unread", {"type": "string"}, "true: only unread messages. 仅未读。")])},
    "/api/v1/notifications/{id}/read": {"post": op(
        "markNotificationRead", "Mark a message read",
        "Marks a message of the caller's department read; other ids change nothing. 标记已读。",
        {"204": {"description": "Done."}}, tag="sharing", forbidden=False,
        params=[path_param("id", "The message id. 消息编号。")])},
    "/api/v1/grants/{id}/suspend": {"post": op(
        "suspendGrant", "Suspend a grant",
        "Reads under the grant stop until it is resumed. Needs a reason. Policy grants.manage (platform_admin, "
        "authority_reviewer); 409 grant_revoked. 暂停授权。",
        {**ok(200, "The grant.", "Grant"), "409": GRANT_CHANGE_CONFLICT}, tag="sharing", not_found=True,
        params=[GRANT_ID], body=json_body("RenewRequest", "The reason (valid_until is ignored)."))},
    "/api/v1/grants/{id}/resume": {"post": op(
        "resumeGrant", "Resume a grant",
        "Makes a suspended grant active again. Needs a reason. Policy grants.manage (platform_admin, authority_reviewer); "
        "409 grant_revoked. 恢复授权。",
        {**ok(200, "The grant.", "Grant"), "409": GRANT_CHANGE_CONFLICT}, tag="sharing", not_found=True,
        params=[GRANT_ID], body=json_body("RenewRequest", "The reason (valid_until is ignored)."))},
    "/api/v1/grants/{id}/renew": {"post": op(
        "renewGrant", "Renew a grant",
        "Sets a new last day of validity (valid_until, after today) and needs a reason. Policy grants.manage "
        "(platform_admin, authority_reviewer); 409 grant_revoked. 授权续期。",
        {**ok(200, "The grant.", "Grant"), "409": GRANT_CHANGE_CONFLICT}, tag="sharing", not_found=True,
        params=[GRANT_ID], body=json_body("RenewRequest", "The new date and the reason."))},
    "/api/v1/grants/{id}/usage": {"get": op(
        "getGrantUsage", "Usage under a grant",
        "Reads and rows under the grant (Art. 21), for the holding department, the provider, the data authority over "
        "the provider (authority_reviewer) and platform_admin; others get 404. 授权使用情况。",
        ok(200, "The usage.", "GrantUsage"), tag="sharing", forbidden=False, not_found=True, params=[GRANT_ID])},
})

schemas.update({
    "GrantWithUsage": {
        "type": "object",
        "required": ["grant", "entry_code", "reads", "rows"],
        "properties": {
            "grant": ref("Grant"),
            "entry_code": string("The resource code. 资源代码。"),
            "reads": {"type": "integer", "description": "Recorded reads under the grant. 读取次数。"},
            "rows": {"type": "integer", "description": "Rows returned in all. 返回行数。"},
            "last_read_at": opt_string("Absent before the first read. 最近读取时间。"),
        },
    },
    "GrantOverview": {
        "type": "object",
        "description": "Grants the caller's department holds, and grants on resources it provides. 本部门持有及提供的授权。",
        "required": ["held", "provided", "supervised"],
        "properties": {"held": {"type": "array", "items": ref("GrantWithUsage")},
                       "provided": {"type": "array", "items": ref("GrantWithUsage")},
                       "supervised": {"type": "array", "items": ref("GrantWithUsage"),
                                      "description": "Every grant, for grants.manage (authority_reviewer, platform_admin); "
                                                     "empty for others. 主管部门可管理的全部授权。"}},
    },
    "MisuseReportRequest": {
        "type": "object", "required": ["description"],
        "properties": {"description": string("What was done beyond the grant (required). 滥用情况（必填）。", maxLength=4000)},
    },
    "MisuseCloseRequest": {
        "type": "object", "required": ["resolution"],
        "properties": {"resolution": string("The authority's finding (required). 处理结论（必填）。", maxLength=4000)},
    },
    "MisuseCase": {
        "type": "object",
        "description": "A provider's report of misuse under a grant, handled by the data authority (Art. 21). 数据滥用报告。",
        "required": ["id", "grant_id", "reporter_department_id", "holder_department_id", "authority_id", "description",
                     "status", "reported_by", "created_at"],
        "properties": {
            "id": string(), "grant_id": string(), "reporter_department_id": string(), "holder_department_id": string(),
            "authority_id": string(), "description": string(), "status": {"type": "string", "enum": ["open", "closed"]},
            "reported_by": string(), "created_at": string(), "resolution": opt_string(), "closed_at": opt_string(),
            "closed_by": opt_string(),
        },
    },
    "WebhookRequest": {
        "type": "object", "required": ["url"],
        "properties": {"url": string("An http(s) address of the department's system. 接收地址。", maxLength=500)},
    },
    "Webhook": {
        "type": "object",
        "description": "Where the department's notifications are posted, and the latest deliveries. 消息推送地址与投递记录。",
        "required": ["deliveries"],
        "properties": {
            "url": opt_string("Absent when none is set."),
            "secret": opt_string("Only in the answer to PUT: the HMAC-SHA256 key for X-GovShare-Signature; never shown again. 签名密钥（仅显示一次）。"),
            "deliveries": {"type": "array", "items": ref("WebhookDelivery")},
        },
    },
    "WebhookDelivery": {
        "type": "object",
        "required": ["id", "channel", "notification_kind", "status", "attempts", "next_attempt_at"],
        "properties": {
            "id": string("For webhooks also sent as X-GovShare-Delivery, the same on every retry. 投递编号。"),
            "channel": {"type": "string", "enum": ["webhook", "email"]},
            "notification_kind": string(), "status": {"type": "string", "enum": ["pending", "delivered", "failed"]},
            "attempts": {"type": "integer"}, "next_attempt_at": string(), "last_error": opt_string(), "delivered_at": opt_string(),
        },
    },
    "MailRecipientRequest": {
        "type": "object", "required": ["address"],
        "properties": {"address": string("A mail address of the department. 接收通知的邮箱。", maxLength=254)},
    },
    "MailRecipient": {
        "type": "object",
        "properties": {"address": opt_string("Absent when none is set. 接收通知的邮箱。")},
    },
    "Attachment": {
        "type": "object",
        "required": ["id", "application_id", "file_name", "media_type", "size", "sha256", "uploaded_by", "created_at"],
        "properties": {
            "id": string(), "application_id": string(), "file_name": string(), "media_type": string(),
            "size": {"type": "integer"}, "sha256": string("Lower-case hex SHA-256 of the content. 校验和。"),
            "uploaded_by": string(), "created_at": string(),
        },
    },
})

MISUSE_ID = path_param("id", "The misuse case id. 报告编号。")
paths.update({
    "/api/v1/grants/overview": {"get": op(
        "getGrantOverview", "My grants and grants on my data, with usage",
        "The grants the caller's department holds and those on resources it provides, each with reads, rows and the last "
        "read, counted in one aggregate over the read log (Art. 21); supervised: for an authority reviewer the grants on "
        "resources of the departments its authority reviews, for an administrator all. Any signed-in caller. "
        "本部门持有及提供的授权与使用情况。",
        ok(200, "The grants.", "GrantOverview"), tag="sharing", forbidden=False)},
    "/api/v1/grants/{id}/misuse-reports": {"post": op(
        "reportMisuse", "Report misuse under a grant",
        "The provider (department_reviewer or cataloger of the department that provides the resource) reports use beyond "
        "the grant; a case opens with the data authority that reviews the provider, and the holder is told. 404 for grants "
        "on other departments' data; 422 without a description. Audited (misuse.report). 提供部门报告数据滥用。",
        ok(201, "The case.", "MisuseCase"), tag="sharing", not_found=True, params=[GRANT_ID],
        body=json_body("MisuseReportRequest", "What happened."))},
    "/api/v1/misuse-cases": {"get": op(
        "listMisuseCases", "Misuse cases",
        "Cases the caller's department reported, is the subject of, or supervises; platform administrators and security "
        "auditors see all. 数据滥用报告列表。",
        {"200": {"description": "The cases.", "content": {"application/json": {"schema": {"type": "array", "items": ref("MisuseCase")}}}}},
        tag="sharing", forbidden=False)},
    "/api/v1/misuse-cases/{id}/close": {"post": op(
        "closeMisuseCase", "Close a misuse case",
        "The data authority's reviewer (authority_reviewer of the case's authority) records the finding; reporter and "
        "holder are told. Suspending or revoking the grant is a separate, audited step. 404 for others; 409 case_closed. "
        "主管部门办结滥用报告。",
        {**ok(200, "The case.", "MisuseCase"), "409": problem_response("Already closed (code case_closed). 已办结。")},
        tag="sharing", forbidden=False, not_found=True, params=[MISUSE_ID],
        body=json_body("MisuseCloseRequest", "The finding."))},
    "/api/v1/webhook": {
        "get": op(
            "getWebhook", "The department's webhook",
            "The address notifications are posted to (never the secret) and the latest 50 deliveries of every channel "
            "(webhook and e-mail). Policy "
            "webhooks.manage (department_reviewer, authority_reviewer, platform_admin). 本部门消息推送设置。",
            ok(200, "The webhook.", "Webhook"), tag="sharing"),
        "put": op(
            "setWebhook", "Set the department's webhook",
            "Every later notification of the department is also posted there as JSON with X-GovShare-Delivery, "
            "X-GovShare-Timestamp and X-GovShare-Signature: sha256=<hex HMAC-SHA256 of \"<timestamp>.<body>\" with the "
            "secret>. A 2xx answer delivers it; otherwise it is retried after 30 s, 1, 2, 4 … min, 8 attempts in all. The "
            "platform makes a new secret each time and shows it only in this answer. 设置消息推送地址（签名、失败重试）。",
            ok(200, "The webhook with its secret.", "Webhook"), tag="sharing", validates=True,
            body=json_body("WebhookRequest", "The address.")),
        "delete": op(
            "removeWebhook", "Stop posting notifications",
            "Notifications stay in the portal inbox only. Policy webhooks.manage. 停止消息推送。",
            {"204": {"description": "Done."}}, tag="sharing"),
    },
    "/api/v1/mail-recipient": {
        "get": op(
            "getMailRecipient", "The department's notification mailbox",
            "Policy webhooks.manage. 本部门接收通知的邮箱。", ok(200, "The address.", "MailRecipient"), tag="sharing"),
        "put": op(
            "setMailRecipient", "Mail the department's notifications",
            "Every later notification of the department is also mailed there (Chinese and English, plain text) through "
            "the relay in smtp_url, retried like webhooks; the deliveries show under GET /api/v1/webhook with channel "
            "email. 409 smtp_not_configured when the platform has no relay. Policy webhooks.manage. 设置接收通知的邮箱。",
            {**ok(200, "The address.", "MailRecipient"),
             "409": problem_response("No SMTP relay is configured (code smtp_not_configured). 未配置邮件服务器。")},
            tag="sharing", validates=True, body=json_body("MailRecipientRequest", "The address.")),
        "delete": op(
            "removeMailRecipient", "Stop mailing notifications",
            "Pending mail deliveries are abandoned; the inbox keeps every message. Policy webhooks.manage. 停止邮件通知。",
            {"204": {"description": "Done."}}, tag="sharing"),
    },
    "/api/v1/applications/{id}/attachments": {
        "get": op(
            "listApplicationAttachments", "An application's attachments",
            "For whoever may see the application (404 otherwise). 申请附件列表。",
            {"200": {"description": "The attachments.", "content": {"application/json": {"schema": {
                "type": "array", "items": ref("Attachment")}}}}},
            tag="sharing", forbidden=False, not_found=True, params=[APPLICATION_ID]),
        "post": op(
            "attachToApplication", "Attach a document to an application",
            "Body: the file itself (up to 10 MiB), its name in file_name. Only the applicant's department, while the "
            "application is open (409 application_decided); stored by SHA-256 and checked on every download. 422 for an "
            "empty body or a missing file_name. Audited (application.attach). 上传申请附件。",
            {**ok(201, "The attachment.", "Attachment"),
             "409": problem_response("The application is decided (code application_decided). 申请已办结。")},
            tag="sharing", forbidden=False, not_found=True, too_large="TooLargeFile",
            params=[APPLICATION_ID, query("file_name", {"type": "string", "minLength": 1, "maxLength": 200},
                                          "The file's name. 文件名。", required=True)],
            body={"required": True, "description": "The file's bytes. 文件内容。", "content": {"*/*": {"schema": BINARY}}}),
    },
    "/api/v1/applications/{id}/attachments/{attachment}": {"get": op(
        "downloadApplicationAttachment", "Download an attachment",
        "For whoever may see the application; the content is checked against its SHA-256 (503 checksum_mismatch). "
        "下载申请附件（校验 SHA-256）。",
        {"200": {"description": "The file.",
                 "headers": {"X-Checksum-SHA256": {"required": True, "schema": {"type": "string"},
                                                   "description": "The SHA-256 of the content. 校验和。"}},
                 "content": {"*/*": {"schema": BINARY}}}},
        tag="sharing", forbidden=False, not_found=True,
        params=[APPLICATION_ID, path_param("attachment", "The attachment id. 附件编号。")])},
})

# Each action: (name, operationId, summary, description, result schema, parameters, errors), where errors is None (it
# does not fail), CKAN_ERRORS (404/409 in CKAN's error shape) or PROBLEM_ERRORS (a bearer token is required and errors
# are application/problem+json like the native API: 401/403/404/422).
CKAN_ERRORS, PROBLEM_ERRORS = "ckan", "problem"
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
     None),
    ("package_show", "ckanPackageShow", "Show a dataset",
     "CKAN package_show by id or name (the resource code with - for /). A missing id answers 409, an unknown or hidden "
     "dataset 404, both in CKAN's error shape. 查看数据集（CKAN 兼容）。",
     ref("CKANPackage"), [("id", {"type": "string"}, "The entry id or the package name.")], CKAN_ERRORS),
    ("package_list", "ckanPackageList", "List dataset names",
     "CKAN package_list: the names of published datasets. 数据集名称列表。",
     {"type": "array", "items": {"type": "string"}}, [], None),
    ("organization_list", "ckanOrganizationList", "List organizations",
     "CKAN organization_list: department credit codes, or whole organizations with all_fields=true. 机构列表。",
     {"type": "array", "items": {"anyOf": [{"type": "string"}, ref("CKANOrganization")]}},
     [("all_fields", {"type": "string"}, "true or 1 for whole organizations.")], None),
    ("organization_show", "ckanOrganizationShow", "Show an organization",
     "CKAN organization_show by credit code or id, with package_count; unknown answers 404 in CKAN's error shape. 机构详情。",
     ref("CKANOrganization"), [("id", {"type": "string"}, "Credit code or id.")], CKAN_ERRORS),
    ("group_list", "ckanGroupList", "List groups",
     "CKAN group_list: the guide's resource classes (1 base, 2 thematic, 3 department); whole groups with all_fields=true. 分组列表。",
     {"type": "array", "items": {"anyOf": [{"type": "string"}, ref("CKANGroup")]}},
     [("all_fields", {"type": "string"}, "true or 1 for whole groups.")], None),
    ("datastore_search", "ckanDatastoreSearch", "Search a dataset's rows (DataStore)",
     "CKAN DataStore datastore_search over a mounted dataset, under the same access rules, masking and read audit as "
     "POST /api/v1/datasets/{code}/query. resource_id is the resource id package_show gives, the entry id or the resource "
     "code (404 if unknown or without a dataset). purpose (GovShare's addition) names the subscription or grant the read is "
     "done under; the provider may omit it. A filter or field the caller may not read answers 403 or 422. "
     "数据查询（CKAN DataStore 兼容），与原生查询接口同样的授权、脱敏和读取记录。",
     ref("CKANDatastoreSearch"),
     [("resource_id", {"type": "string"}, "The resource id, entry id or resource code (/ or -) (required). 资源标识（必填）。"),
      ("filters", {"type": "string"}, "A JSON object: item code → value, list of values, or operators "
                                      "(eq, in, gte, lte, gt, lt, prefix), e.g. {\"XB\": \"1\"}."),
      ("q", {"type": "string"}, "Words to look for in clear text items."),
      ("fields", {"type": "string"}, "Item codes to return, comma-separated or a JSON list."),
      ("sort", {"type": "string"}, "ITEM asc or ITEM desc."),
      ("limit", {"type": "integer", "minimum": 1, "maximum": 1000}, "Page size (default 100)."),
      ("offset", {"type": "integer", "minimum": 0, "maximum": 1000000000}, "Offset (default 0; at most 10^9, else 422)."),
      ("include_total", {"type": "string"}, "false to leave out total (default true)."),
      ("purpose", {"type": "string"}, "The subscription or grant id the read is done under. 读取依据。")],
     PROBLEM_ERRORS),
]

CKAN_SECURITY = [{}, {"bearerAuth": []}]
# CKAN serves its Action API under /api/3/action and /api/action (ckanapi uses the latter); both are the same.
for prefix, id_suffix, alias_note in (("/api/3/action/", "", ""),
                                      ("/api/action/", "Unversioned", "The same as /api/3/action/{action}, under CKAN's unversioned prefix (ckanapi uses it). ")):
    for action, op_id, summary, description, result, params, errors in CKAN_ACTIONS:
        base_responses = {"200": {"description": "CKAN success envelope.",
                                  "content": {"application/json": {"schema": ckan_envelope(result)}}}}
        if errors == CKAN_ERRORS:
            for code, text in (("404", "Not found (CKAN error shape)."), ("409", "Missing id (CKAN error shape).")):
                base_responses[code] = {"description": text, "content": {"application/json": {"schema": ref("CKANError")}}}
        problems = errors == PROBLEM_ERRORS
        if problems:
            common = (alias_note + "CKAN Action API, but unlike the catalog actions it needs a bearer token (anonymous calls "
                      "answer 401) and its errors are application/problem+json (401, 403, 404, 422) like the native API, "
                      "not CKAN's error shape. 需要访问令牌；错误以 problem+json 返回。 ")
        else:
            common = (alias_note + "Read-only CKAN Action API. Anonymous callers see entries open to the public; callers with a "
                      "bearer token see every published entry. A bearer token that is not valid answers 401. ")
        get_op = op(op_id + "Get" + id_suffix, summary, common + description, dict(base_responses), tag="ckan",
                    forbidden=problems, not_found=problems, validates=problems,
                    params=[query(n, sch, d) for n, sch, d in params])
        if not problems:
            get_op["security"] = CKAN_SECURITY
        body_schema = {"type": "object", "description": "The same parameters as the query (body values win); nested values "
                       "are passed on as JSON text.", "properties": {n: {} for n, _, _ in params}}
        post_op = op(op_id + "Post" + id_suffix, summary + " (POST)",
                     common + "Parameters may also come as a JSON object body (ckanapi's way). " + description,
                     dict(base_responses), tag="ckan", forbidden=problems, not_found=problems, validates=True,
                     params=[query(n, sch, d) for n, sch, d in params],
                     body={"required": False, "content": {"application/json": {"schema": body_schema}}})
        if not problems:
            post_op["security"] = CKAN_SECURITY
        paths[prefix + action] = {"get": get_op, "post": post_op}

# --- Legal bases (Art. 16, 18): what may be cited, proposals and the provincial authority's decisions. ---
INSTRUMENT_LEVELS = ["law", "administrative_regulation", "local_regulation", "rule", "state_council_document", "provincial_document"]
schemas.update({
    "LegalInstrument": {
        "type": "object",
        "required": ["name", "level", "issuer", "source"],
        "properties": {
            "name": string("The name without 《》. 名称（不含书名号）。"),
            "level": {"type": "string", "enum": INSTRUMENT_LEVELS, "description": "效力层级。"},
            "issuer": string("Who made it. 制定机关。"),
            "document_number": opt_string("e.g. 国务院令第809号. 文号。"),
            "source": {"type": "string", "enum": ["list", "confirmed"],
                       "description": "The maintained list, or a proposal the provincial data authority confirmed. 来源。"},
            "proposal_id": opt_string("For a confirmed proposal."),
        },
    },
    "LegalInstrumentProposal": {
        "type": "object",
        "required": ["id", "name", "level", "issuer", "reference", "status", "proposed_by", "proposed_by_name", "department_id",
                     "created_at"],
        "properties": {
            "id": string(), "name": string(), "level": {"type": "string", "enum": INSTRUMENT_LEVELS}, "issuer": string(),
            "document_number": opt_string(), "reference": string("Where it is published, or a note. 出处。"),
            "status": {"type": "string", "enum": ["pending", "confirmed", "rejected"]},
            "proposed_by": string(), "proposed_by_name": string(), "department_id": string(), "created_at": string(),
            "decided_by": opt_string(), "decided_by_name": opt_string(), "decided_at": opt_string(),
            "decision_reason": opt_string("Why it was rejected (or a note on the confirmation). 理由。"),
        },
    },
    "LegalInstrumentList": {
        "type": "object",
        "required": ["instruments", "proposals"],
        "properties": {
            "instruments": {"type": "array", "items": ref("LegalInstrument"),
                            "description": "Everything that may be cited as a legal basis. 可引用的依据。"},
            "proposals": {"type": "array", "items": ref("LegalInstrumentProposal"),
                          "description": "Every proposal, newest first; pending ones cannot be cited yet. 认定申请。"},
        },
    },
    "LegalInstrumentProposalRequest": {
        "type": "object",
        "properties": {
            "name": string("Without 《》 (they are stripped). 名称。", maxLength=200),
            "level": {"type": "string", "enum": INSTRUMENT_LEVELS},
            "issuer": string(maxLength=100),
            "document_number": string(maxLength=100),
            "reference": string("A link to where it is published, or a note. 出处链接或说明。", maxLength=1000),
        },
    },
    "LegalInstrumentDecision": {
        "type": "object",
        "properties": {"reason": string("Required to reject; a note when confirming. 理由。", maxLength=500)},
    },
})
PROPOSAL_ID = path_param("id", "The proposal id. 认定申请编号。")
paths.update({
    "/api/v1/legal-instruments": {
        "get": op(
            "listLegalInstruments", "What may be cited as a legal basis",
            "The instruments a refusal (Art. 16) or a conditional / not-shared catalog element (Art. 18) may cite — laws, "
            "administrative regulations, local regulations, rules, State Council and provincial government normative documents: "
            "the maintained list (legal_instruments_file replaces the bundled one) and the confirmed proposals; and every "
            "proposal. A cited instrument not among them is refused with 422 not_a_legal_basis (legal_basis_unconfirmed while "
            "its proposal is pending). Policy legal_instruments.read (any role). 可引用的法律法规依据及认定申请。",
            ok(200, "The instruments and proposals.", "LegalInstrumentList"), tag="legal-basis"),
        "post": op(
            "proposeLegalInstrument", "Propose an instrument as a legal basis",
            "A cataloger or department reviewer proposes an instrument the list lacks (name, level, issuer, document number, "
            "reference); it can be cited once a reviewer of the provincial data authority confirms it. 409 already_accepted "
            "or already_proposed. Policy legal_instruments.propose (cataloger, department_reviewer). 提出法律法规依据认定。",
            ok(201, "The pending proposal.", "LegalInstrumentProposal"), tag="legal-basis", conflict=True, validates=True,
            body=json_body("LegalInstrumentProposalRequest", "The instrument.")),
    },
    "/api/v1/legal-instruments/{id}/confirm": {"post": op(
        "confirmLegalInstrument", "Confirm a proposed instrument",
        "A reviewer of the provincial data authority (403 provincial_authority_only for a city's) confirms a pending "
        "proposal: it may be cited from now on. Nobody decides their own proposal (403 own_proposal); 409 proposal_decided. "
        "The body (a note) is optional. Policy legal_instruments.confirm (authority_reviewer). 确认法律法规依据。",
        ok(200, "The confirmed proposal.", "LegalInstrumentProposal"), tag="legal-basis", not_found=True, conflict=True,
        validates=True, params=[PROPOSAL_ID],
        body={"required": False, "description": "An optional note.",
              "content": {"application/json": {"schema": ref("LegalInstrumentDecision")}}})},
    "/api/v1/legal-instruments/{id}/reject": {"post": op(
        "rejectLegalInstrument", "Reject a proposed instrument",
        "As confirm, with the reason required: the instrument is no legal basis (e.g. a department's internal rule, Art. 16). "
        "Policy legal_instruments.confirm (authority_reviewer of the provincial data authority). 驳回法律法规依据认定。",
        ok(200, "The rejected proposal.", "LegalInstrumentProposal"), tag="legal-basis", not_found=True, conflict=True,
        validates=True, params=[PROPOSAL_ID], body=json_body("LegalInstrumentDecision", "The reason."))},
})

# --- Seals (Art. 24, 25): issued by the provincial data authority, signing and verification (GB/T 38540, SM2/SM3). ---
SEAL_KINDS = ["official_seal", "data_seal", "personal_signature"]
SEAL_STATUSES = ["active", "suspended", "revoked"]
schemas.update({
    "Seal": {
        "type": "object",
        "required": ["id", "name", "kind", "kind_name", "holder_department_id", "status", "valid_from", "valid_to",
                     "certificate_serial", "certificate", "issued_by", "created_at", "has_image"],
        "properties": {
            "id": string("The seal id (also the esID of its GB/T 38540 structure). 印章编号。"),
            "name": string(), "kind": {"type": "string", "enum": SEAL_KINDS}, "kind_name": string("公章 / 数据专用章 / 个人签名"),
            "holder_department_id": string(), "holder_user_id": opt_string("The reviewer a personal signature key belongs to."),
            "status": {"type": "string", "enum": SEAL_STATUSES},
            "valid_from": string(), "valid_to": string(),
            "certificate_serial": string("The certificate's serial number, hex. 证书序列号。"),
            "certificate": string("The seal's X.509 certificate (SM2 with SM3), PEM. 证书。"),
            "issued_by": string(), "created_at": string(),
            "suspended_at": opt_string(), "revoked_at": opt_string("From when the seal no longer signs. 注销时间。"),
            "revocation_reason": opt_string(), "has_image": {"type": "boolean"},
        },
    },
    "SealStatus": {
        "type": "object",
        "required": ["seal_id", "name", "kind", "holder_department_id", "certificate_serial", "status", "valid_from", "valid_to"],
        "properties": {
            "seal_id": string(), "name": string(), "kind": {"type": "string", "enum": SEAL_KINDS},
            "holder_department_id": string(), "certificate_serial": string(),
            "status": {"type": "string", "enum": SEAL_STATUSES}, "valid_from": string(), "valid_to": string(),
            "suspended_at": opt_string(), "revoked_at": opt_string(),
        },
    },
    "SealIssueRequest": {
        "type": "object",
        "properties": {
            "name": string("No , = + ; < > # \" \\. 印章名称。", maxLength=64),
            "kind": {"type": "string", "enum": SEAL_KINDS},
            "holder_department_id": string("The holder department's id or code. 持有部门。"),
            "holder_user_id": opt_string("Required for personal_signature: a reviewer of that department."),
            "valid_from": opt_string("ISO 8601; default now."), "valid_to": opt_string("ISO 8601; default 3 years, at most 10."),
            "image": opt_string("The seal's picture: a PNG, base64, at most 256 KiB. 印章图片。"),
            "image_width_mm": {"type": ["integer", "null"], "minimum": 10, "maximum": 100},
            "image_height_mm": {"type": ["integer", "null"], "minimum": 10, "maximum": 100},
        },
    },
    "SealStatusChange": {
        "type": "object",
        "properties": {
            "reason": string("Required. 理由。", maxLength=500),
            "effective_at": opt_string("Revocation only: from when (ISO 8601, not in the future; default now). 生效时间。"),
        },
    },
    "SignedDocument": {
        "type": "object",
        "required": ["signature", "seal_id", "seal_name", "signed_at", "document_sm3"],
        "properties": {
            "signature": string("The GB/T 38540 SES_Signature, DER, base64. 签章数据。"),
            "seal_id": string(), "seal_name": string(), "signed_at": string(),
            "document_sm3": string("SM3 of the document, hex. 原文杂凑值。"),
        },
    },
    "SealVerification": {
        "type": "object",
        "required": ["valid", "reasons", "document_sm3"],
        "properties": {
            "valid": {"type": "boolean"},
            "reasons": {"type": "array", "description": "Why it is not valid (empty when valid). 验证不通过的原因。",
                        "items": {"type": "object", "required": ["code", "message"],
                                  "properties": {"code": string(), "message": string()}}},
            "seal_id": opt_string(), "seal_name": opt_string(),
            "seal_kind": {"type": ["string", "null"], "enum": SEAL_KINDS + [None]},
            "holder_department_id": opt_string(), "holder_name": opt_string(), "signer_subject": opt_string(),
            "signer_certificate_serial": opt_string(), "signed_at": opt_string(), "document_property": opt_string(),
            "revoked_at": opt_string("When the seal was revoked (after the signing, for a valid signature). 注销时间。"),
            "document_sm3": string(),
        },
    },
})
SEAL_ID = path_param("id", "The seal id. 印章编号。")
SEAL_OBJ = ok(200, "The seal.", "Seal")
paths.update({
    "/api/v1/seals": {
        "get": op(
            "listSeals", "List seals",
            "The provincial data authority's administrators see every department's seals (or one's, with department_id); "
            "anyone else their own department's (403 for another's). Policy seals.read (any role). 电子印章列表。",
            {"200": {"description": "The seals, newest first.", "content": {"application/json": {"schema": {
                "type": "array", "items": ref("Seal")}}}}},
            tag="seals", params=[query("department_id", {"type": "string"}, "Only this department's.")]),
        "post": op(
            "issueSeal", "Issue a seal or signing key",
            "Art. 25: the provincial data authority issues a department its seals (公章, 数据专用章) and its reviewers "
            "personal signature keys: an SM2 key generated and kept wrapped on the platform, an X.509 certificate from the "
            "platform's root and a GB/T 38540 seal structure made by the root. Policy seals.manage (platform_admin of the "
            "provincial data authority; 403 provincial_authority_only otherwise). Audited (seal.issue). 制发电子印章。",
            ok(201, "The seal.", "Seal"), tag="seals", validates=True,
            body=json_body("SealIssueRequest", "The seal.")),
    },
    "/api/v1/seals/verify": {"post": op(
        "verifySignature", "Verify a signed document",
        "multipart/form-data with the parts document and signature (the SES_Signature, DER or base64). Checks the "
        "document's SM3, the SM2 signature (ID 1234567812345678), the seal maker's signature, the chain to the root, the "
        "validity at the signing time and revocation: a signature made before a revocation stays valid (revoked_at "
        "reports it), one made at or after it is refused. Policy seals.read (any role). 验证电子签章。",
        ok(200, "The verification (valid or not, with reasons).", "SealVerification"), tag="seals", validates=True,
        too_large="TooLargeFile",
        body={"required": True, "description": "The document and its signature.",
              "content": {"multipart/form-data": {"schema": {
                  "type": "object", "required": ["document", "signature"],
                  "properties": {"document": BINARY, "signature": BINARY}}}}})},
    "/api/v1/seals/root-certificate": {"get": op(
        "getSealRootCertificate", "The platform's root certificate",
        "The root (SM2 with SM3) that certifies every seal: with it anyone verifies a signature offline. Policy seals.read "
        "(any role). 平台根证书。",
        {"200": {"description": "PEM.", "content": {"application/x-pem-file": {"schema": {"type": "string"}}}}},
        tag="seals")},
    "/api/v1/seals/status/{key}": {"get": op(
        "getSealStatus", "A seal's status",
        "By seal id or certificate serial (hex): whether it signs, and since when it does not. Policy seals.read (any role). "
        "电子印章状态查询。",
        ok(200, "The status.", "SealStatus"), tag="seals", not_found=True,
        params=[path_param("key", "The seal id or its certificate's serial number (hex).")])},
    "/api/v1/seals/{id}": {"get": op(
        "getSeal", "One seal",
        "For its department or the provincial data authority's administrators. Policy seals.read. 电子印章详情。",
        SEAL_OBJ, tag="seals", not_found=True, params=[SEAL_ID])},
    "/api/v1/seals/{id}/suspend": {"post": op(
        "suspendSeal", "Suspend a seal",
        "It stops signing until resumed; 409 seal_status unless active. Policy seals.manage (provincial data authority). "
        "Audited. 暂停电子印章。",
        SEAL_OBJ, tag="seals", not_found=True, conflict=True, validates=True, params=[SEAL_ID],
        body=json_body("SealStatusChange", "The reason."))},
    "/api/v1/seals/{id}/resume": {"post": op(
        "resumeSeal", "Resume a suspended seal",
        "409 seal_status unless suspended. Policy seals.manage (provincial data authority). Audited. 恢复电子印章。",
        SEAL_OBJ, tag="seals", not_found=True, conflict=True, params=[SEAL_ID])},
    "/api/v1/seals/{id}/revoke": {"post": op(
        "revokeSeal", "Revoke a seal",
        "For good, from effective_at (default now): signatures made from then on are refused, earlier ones still verify. "
        "Policy seals.manage (provincial data authority). Audited. 注销电子印章。",
        SEAL_OBJ, tag="seals", not_found=True, conflict=True, validates=True, params=[SEAL_ID],
        body=json_body("SealStatusChange", "The reason and, optionally, from when."))},
    "/api/v1/seals/{id}/sign": {"post": op(
        "signWithSeal", "Sign a document",
        "Body: the document itself (up to 64 MiB); purpose in the query. Answers a detached GB/T 38540 SES_Signature over "
        "its SM3. Staff of the holder department with a reviewer's role (a personal signature key only by its holder; "
        "403 not_seal_holder); the seal must be active and valid now (409 seal_not_active / seal_not_valid_now). Policy "
        "seals.sign (department_reviewer, authority_reviewer). Audited (seal.sign). 加盖电子印章。",
        ok(201, "The signature.", "SignedDocument"), tag="seals", not_found=True, conflict=True, validates=True,
        too_large="TooLargeFile",
        params=[SEAL_ID, query("purpose", {"type": "string", "maxLength": 200}, "What the document is. 用途。")],
        body={"required": True, "description": "The document's bytes. 原文。", "content": {"*/*": {"schema": BINARY}}})},
})

# Security operations (Art. 27): incidents, emergency plans, drills (issue 15, item 2).
INCIDENT_LEVELS = ["particularly_serious", "serious", "relatively_serious", "general"]
schemas.update({
    "IncidentLogEntry": {
        "type": "object", "required": ["id", "actor_id", "actor_name", "at", "action"],
        "properties": {
            "id": string(), "actor_id": string(), "actor_name": string(), "at": string(),
            "action": string("reported, note, handling or closed. 事项。", enum=["reported", "note", "handling", "closed"]),
            "note": opt_string(),
        },
    },
    "Incident": {
        "type": "object",
        "required": ["id", "department_id", "level", "level_name", "status", "title", "description", "occurred_at",
                     "reported_at", "report_due_at", "close_due_at", "reported_by", "reporter_name", "reported_late",
                     "overdue", "affected_entries", "affected_departments"],
        "properties": {
            "id": string(), "department_id": string(), "level": string(enum=INCIDENT_LEVELS), "level_name": string(),
            "status": string(enum=["open", "handling", "closed"]), "title": string(), "description": string(),
            "occurred_at": string(), "reported_at": string(),
            "report_due_at": string("occurred_at plus incident_report_hours_<level>. 报告时限。"),
            "close_due_at": string("reported_at plus incident_close_days. 处置期限。"),
            "closed_at": opt_string(), "reported_by": string(), "reporter_name": string(),
            "reported_late": {"type": "boolean", "description": "Reported after report_due_at. 逾期报告。"},
            "overdue": {"type": "boolean", "description": "Not closed by close_due_at. 处置逾期。"},
            "affected_entries": {"type": "array", "items": string()},
            "affected_departments": {"type": "array", "items": string()},
            "closure": {"type": ["object", "null"], "properties": {"cause": string(), "impact": string(), "measures": string()}},
            "log": {"type": ["array", "null"], "items": ref("IncidentLogEntry")},
        },
    },
    "IncidentReport": {
        "type": "object",
        "properties": {
            "department_id": opt_string("Default the caller's own; another only for those who see all. 部门。", maxLength=64),
            "level": string("Required. 级别。", enum=INCIDENT_LEVELS),
            "title": string("Required. 事件名称。", maxLength=200),
            "description": string("Required. 事件描述。", maxLength=10000),
            "occurred_at": string("Required, ISO 8601, not in the future. 发生时间。"),
            "affected_entries": {"type": ["array", "null"], "maxItems": 50, "items": string("Catalog entry id or code.", maxLength=64)},
            "affected_departments": {"type": ["array", "null"], "maxItems": 50, "items": string("Department id or code.", maxLength=64)},
        },
    },
    "IncidentLogRequest": {
        "type": "object",
        "properties": {"note": string("Required. 说明。", maxLength=2000),
                       "status": opt_string("handling: start handling an open incident. 开始处置。")},
    },
    "IncidentClose": {
        "type": "object",
        "properties": {"cause": string("Required. 原因。", maxLength=10000), "impact": string("Required. 影响。", maxLength=10000),
                       "measures": string("Required. 整改措施。", maxLength=10000)},
    },
    "EmergencyPlanVersion": {
        "type": "object",
        "required": ["id", "plan_id", "version", "title", "body", "effective_on", "approved_by", "recorded_by",
                     "recorded_by_name", "created_at"],
        "properties": {"id": string(), "plan_id": string(), "version": {"type": "integer"}, "title": string(), "body": string(),
                       "effective_on": string(), "approved_by": string(), "recorded_by": string(),
                       "recorded_by_name": string(), "created_at": string()},
    },
    "EmergencyPlan": {
        "type": "object",
        "required": ["id", "department_id", "title", "current_version", "effective_on", "created_at", "updated_at"],
        "properties": {"id": string(), "department_id": string(), "title": string(), "current_version": {"type": "integer"},
                       "effective_on": string(), "created_at": string(), "updated_at": string(),
                       "versions": {"type": ["array", "null"], "items": ref("EmergencyPlanVersion")}},
    },
    "EmergencyPlanRequest": {
        "type": "object",
        "properties": {
            "department_id": opt_string("Default the caller's own. 部门。", maxLength=64),
            "title": string("Required. 预案名称。", maxLength=200), "body": string("Required. 正文。", maxLength=200000),
            "effective_on": string("Required, YYYY-MM-DD. 生效日期。"), "approved_by": string("Required. 批准人。", maxLength=100),
        },
    },
    "DrillFollowUp": {
        "type": "object", "required": ["id", "description", "owner", "done"],
        "properties": {"id": string(), "description": string(), "owner": string(), "done": {"type": "boolean"},
                       "done_at": opt_string(), "done_by": opt_string()},
    },
    "Drill": {
        "type": "object",
        "required": ["id", "department_id", "held_on", "scenario", "participants", "findings", "recorded_by", "created_at",
                     "follow_ups"],
        "properties": {"id": string(), "department_id": string(), "held_on": string(), "scenario": string(),
                       "plan_id": opt_string(), "plan_version": {"type": ["integer", "null"]},
                       "participants": {"type": "array", "items": string()}, "findings": string(), "recorded_by": string(),
                       "created_at": string(), "follow_ups": {"type": "array", "items": ref("DrillFollowUp")}},
    },
    "DrillFollowUpRequest": {
        "type": "object",
        "properties": {"description": string("Required. 整改内容。", maxLength=2000), "owner": string("Required. 责任人。", maxLength=100)},
    },
    "DrillRequest": {
        "type": "object",
        "properties": {
            "department_id": opt_string("Default the caller's own. 部门。", maxLength=64),
            "held_on": string("Required, YYYY-MM-DD, not in the future. 演练日期。"),
            "scenario": string("Required. 演练场景。", maxLength=10000),
            "plan_id": opt_string("The department's plan exercised. 演练的预案。", maxLength=64),
            "plan_version": {"type": ["integer", "null"], "description": "Default the plan's current version."},
            "participants": {"type": "array", "maxItems": 100, "items": string(maxLength=100), "description": "Required. 参演人员。"},
            "findings": string("Required. 发现的问题。", maxLength=10000),
            "follow_ups": {"type": ["array", "null"], "maxItems": 50, "items": ref("DrillFollowUpRequest")},
        },
    },
    "DrillDue": {
        "type": "object", "required": ["department_id", "state"],
        "properties": {"department_id": string(), "state": string(enum=["current", "due_soon", "overdue"]),
                       "last_held_on": opt_string(), "due_on": opt_string()},
    },
})
INCIDENT_ID = path_param("id", "The incident id. 事件编号。")
PLAN_ID = path_param("id", "The plan id. 预案编号。")
DRILL_ID = path_param("id", "The drill id. 演练编号。")
SCOPE = ("A department's security officer sees its own department's (and incidents naming it as affected); the provincial "
         "data authority's security officers and security.read_all (platform_admin, security_auditor, operator) every "
         "department's. ")
paths.update({
    "/api/v1/security/incidents": {
        "get": op("listIncidents", "List security incidents",
                  SCOPE + "Newest first. Policy security.read. 安全事件列表。",
                  {"200": {"description": "The incidents.", "content": {"application/json": {"schema": {
                      "type": "array", "items": ref("Incident")}}}}},
                  tag="security", params=[query("open", {"type": "string", "enum": ["true", "false"]}, "Only those not closed.")]),
        "post": op("reportIncident", "Report a security incident",
                   "Art. 27: report_due_at is occurred_at plus incident_report_hours_<level> (defaults 1/2/24/72 h); a report "
                   "after it is flagged reported_late. The provincial data authority's inbox (webhook, mail) is notified in "
                   "the same transaction; particularly_serious and serious also the operations centre, marked urgent. "
                   "Policy security.incidents.report (security_officer, platform_admin, operator). Audited. 报告安全事件。",
                   ok(201, "The incident.", "Incident"), tag="security", validates=True,
                   body=json_body("IncidentReport", "The incident.")),
    },
    "/api/v1/security/incidents/{id}": {"get": op(
        "getIncident", "An incident with its handling log", SCOPE + "404 outside one's scope. Policy security.read. 安全事件详情。",
        ok(200, "The incident and its log.", "Incident"), tag="security", not_found=True, params=[INCIDENT_ID])},
    "/api/v1/security/incidents/{id}/log": {"post": op(
        "addIncidentLogEntry", "Add to an incident's handling log",
        "Append-only. status handling moves an open incident to handling. The incident's department or those who see all; "
        "409 incident_closed once closed. Policy security.incidents.report. Audited. 添加处置记录。",
        ok(201, "The log entry.", "IncidentLogEntry"), tag="security", not_found=True, conflict=True, validates=True,
        params=[INCIDENT_ID], body=json_body("IncidentLogRequest", "The note."))},
    "/api/v1/security/incidents/{id}/close": {"post": op(
        "closeIncident", "Close an incident with its closure report",
        "cause, impact and measures are each required (422 naming the field). Policy security.incidents.report. Audited. "
        "关闭安全事件。",
        ok(200, "The closed incident.", "Incident"), tag="security", not_found=True, conflict=True, validates=True,
        params=[INCIDENT_ID], body=json_body("IncidentClose", "The closure report."))},
    "/api/v1/security/plans": {
        "get": op("listEmergencyPlans", "List emergency plans", SCOPE + "Policy security.read. 应急预案列表。",
                  {"200": {"description": "The plans.", "content": {"application/json": {"schema": {
                      "type": "array", "items": ref("EmergencyPlan")}}}}}, tag="security"),
        "post": op("createEmergencyPlan", "Create an emergency plan (version 1)",
                   "Policy security.plans.manage (security_officer, platform_admin). Audited. 新建应急预案。",
                   ok(201, "The plan.", "EmergencyPlan"), tag="security", validates=True,
                   body=json_body("EmergencyPlanRequest", "The plan's first version.")),
    },
    "/api/v1/security/plans/{id}": {"get": op(
        "getEmergencyPlan", "A plan with its versions", SCOPE + "Versions newest first. Policy security.read. 应急预案详情。",
        ok(200, "The plan.", "EmergencyPlan"), tag="security", not_found=True, params=[PLAN_ID])},
    "/api/v1/security/plans/{id}/versions": {"post": op(
        "reviseEmergencyPlan", "Add the next version of a plan",
        "The version number is the current one plus one; two editors at once: 409 plan_version_changed. Policy "
        "security.plans.manage. Audited. 修订应急预案。",
        ok(201, "The new version.", "EmergencyPlanVersion"), tag="security", not_found=True, conflict=True, validates=True,
        params=[PLAN_ID], body=json_body("EmergencyPlanRequest", "The new version."))},
    "/api/v1/security/drills": {
        "get": op("listDrills", "List drills", SCOPE + "Newest first. Policy security.read. 应急演练列表。",
                  {"200": {"description": "The drills.", "content": {"application/json": {"schema": {
                      "type": "array", "items": ref("Drill")}}}}}, tag="security"),
        "post": op("recordDrill", "Record a drill",
                   "Policy security.drills.manage (security_officer, platform_admin). Audited. 登记应急演练。",
                   ok(201, "The drill.", "Drill"), tag="security", validates=True, body=json_body("DrillRequest", "The drill.")),
    },
    "/api/v1/security/drills/due": {"get": op(
        "listDrillsDue", "Where each department stands with its periodic drill",
        "Due drill_interval_days after the last drill; due_soon within drill_reminder_days; overdue after, or with none on "
        "record. " + SCOPE + "Policy security.read. 演练到期情况。",
        {"200": {"description": "One line a department.", "content": {"application/json": {"schema": {
            "type": "array", "items": ref("DrillDue")}}}}}, tag="security")},
    "/api/v1/security/drills/{id}": {"get": op(
        "getDrill", "A drill with its follow-ups", SCOPE + "Policy security.read. 演练详情。",
        ok(200, "The drill.", "Drill"), tag="security", not_found=True, params=[DRILL_ID])},
    "/api/v1/security/drills/{id}/follow-ups": {"post": op(
        "addDrillFollowUp", "Add a follow-up to a drill", "Policy security.drills.manage. Audited. 添加整改事项。",
        ok(201, "The follow-up.", "DrillFollowUp"), tag="security", not_found=True, validates=True, params=[DRILL_ID],
        body=json_body("DrillFollowUpRequest", "The follow-up."))},
    "/api/v1/security/drills/{id}/follow-ups/{followUpId}/done": {"post": op(
        "completeDrillFollowUp", "Mark a follow-up done",
        "409 follow_up_done when it already is. Policy security.drills.manage. Audited. 整改完成。",
        ok(200, "The drill.", "Drill"), tag="security", not_found=True, conflict=True,
        params=[DRILL_ID, path_param("followUpId", "The follow-up id. 整改事项编号。")])},
})

# Signed audit checkpoints (Art. 28) and the signed decision letters (Art. 24): issue 14.
schemas.update({
    "CheckpointVerifyRequest": {
        "type": "object", "required": ["checkpoints"],
        "properties": {
            "checkpoints": string("The exported checkpoint file's text (JSON lines). 检查点文件内容。"),
            "root_certificate": opt_string("The platform's root certificate (PEM) to pin; default: the file's own. 根证书。"),
        },
    },
    "AuditCheckpointVerification": {
        "type": "object",
        "required": ["ok", "checkpoints", "valid_checkpoints", "database_last_seq", "last_checkpoint_seq", "reads_checked",
                     "root", "root_pinned", "findings"],
        "properties": {
            "ok": {"type": "boolean"},
            "checkpoints": {"type": "integer", "description": "Checkpoints in the file."},
            "valid_checkpoints": {"type": "integer", "description": "Of them, signed by a node certificate of the root."},
            "database_last_seq": {"type": "integer"},
            "last_checkpoint_seq": {"type": "integer"},
            "reads_checked": {"type": "integer", "description": "Reads whose reference digest was recomputed."},
            "root": string("The root certificate's subject."),
            "root_pinned": {"type": "boolean"},
            "archived_checkpoints": {"type": "integer", "description": "Checkpoints inside an archived audit segment "
                                     "(not at its last entry): checked against the package offline, not here."},
            "archived_through": {"type": "integer", "description": "Entries up to this one are archived (0: none)."},
            "findings": {"type": "array", "items": {
                "type": "object", "required": ["kind", "message_zh", "message_en"],
                "properties": {
                    "kind": {"type": "string", "enum": [
                        "root_certificate", "checkpoint_certificate", "checkpoint_signature", "checkpoint_node",
                        "chain_rewritten", "chain_truncated", "chain_broken", "read_references"]},
                    "seq": {"type": ["integer", "null"], "description": "The audit entry (or the read's entry) concerned."},
                    "message_zh": string(),
                    "message_en": string(),
                }}},
        },
    },
    "OfficialDocument": {
        "type": "object",
        "required": ["id", "kind", "object_id", "document", "document_text", "document_sm3", "signature", "seal_id", "signed_at"],
        "properties": {
            "id": string(),
            "kind": {"type": "string", "enum": ["application_decision", "grant"]},
            "object_id": string(),
            "document": string("The signed bytes, base64 (verify these). 原文（base64）。"),
            "document_text": string("The same bytes as UTF-8 text (JSON). 原文文本。"),
            "document_sm3": string("SM3 of the document, hex."),
            "signature": string("Detached GB/T 38540 SES_Signature, DER, base64. 电子签章。"),
            "seal_id": string(),
            "signed_at": string(format="date-time"),
        },
    },
})

# Issue 15 item 5 (Art. 26): the registry of backups.
schemas.update({
    "Backup": {
        "type": "object", "additionalProperties": False,
        "description": "One registered backup: running, then completed or failed. 一次备份登记。",
        "required": ["id", "node_id", "status", "started_at", "location", "created_by", "database_kind", "schema_version"],
        "properties": {
            "id": string(), "node_id": string(),
            "status": {"type": "string", "enum": ["running", "completed", "failed"]},
            "started_at": string(format="date-time"), "finished_at": string(format="date-time"),
            "size_bytes": {"type": "integer", "minimum": 0, "description": "Size of the encrypted file."},
            "sm3": string("SM3 of the encrypted file, hex."),
            "location": string("The encrypted file's path on the node that made it (the signed manifest is beside it, .json)."),
            "created_by": string(), "database_kind": {"type": "string", "enum": ["sqlite", "postgres"]},
            "schema_version": {"type": "integer"}, "audit_seq": {"type": "integer", "description": "Audit head of the copy."},
            "audit_hash": string(), "kek_id": string("The key-encryption key that wraps the backup's key."),
            "error": string("Why it failed."),
        },
    },
    "BackupOverview": {
        "type": "object", "additionalProperties": False, "required": ["backups", "max_age_hours", "overdue"],
        "properties": {
            "backups": {"type": "array", "items": ref("Backup"), "description": "Newest first (at most 100)."},
            "newest_completed_at": string(format="date-time"),
            "newest_age_hours": {"type": "number", "minimum": 0},
            "max_age_hours": {"type": "integer", "description": "backup_max_age_hours."},
            "overdue": {"type": "boolean", "description": "No completed backup, or the newest is older than max_age_hours."},
        },
    },
})

paths.update({
    "/api/v1/backups": {
        "get": op(
            "listBackups", "The registered backups and their age",
            "Every backup (running, completed, failed) newest first, the newest completed one's age and whether it is older "
            "than backup_max_age_hours. Policy backups.read. 备份登记与备份时效。",
            ok(200, "The registry.", "BackupOverview"), tag="backups"),
        "post": op(
            "makeBackup", "Make a backup now",
            "A consistent copy of the whole database (SQLite VACUUM INTO, PostgreSQL pg_dump), SM4-GCM encrypted under a "
            "fresh key wrapped by the key-encryption key, with a manifest signed by the node's SM2 key, written to "
            "backup_directory under a temporary name and renamed when whole; registered and audited (backup.start, "
            "backup.complete or backup.fail). Answers when complete. Policy backups.make. 立即备份。",
            ok(201, "The completed backup.", "Backup"), tag="backups"),
    },
})

# Issue 18 parts 1 and 5 (Art. 15): the node registry, link checks and the endpoint peers deliver signed messages to.
NODE_ID = path_param("id", "A registered peer's node id.")
schemas.update({
    "NodeSelf": {
        "type": "object", "additionalProperties": False,
        "description": "This node as a peer registers it. 本节点信息。",
        "required": ["id", "name", "region_code", "is_province", "certificate_pem", "certificate_subject", "certificate_not_after"],
        "properties": {
            "id": string(), "name": string(), "region_code": string("Six-digit division code (440000: the province)."),
            "is_province": {"type": "boolean"}, "certificate_pem": string("The node key's certificate (SM2), PEM."),
            "certificate_subject": string(), "certificate_not_after": string(format="date-time"),
        },
    },
    "Peer": {
        "type": "object", "additionalProperties": False,
        "description": "A registered peer node and its link state. 已登记节点及链路状态。",
        "required": ["id", "name", "region_code", "relation", "base_url", "status", "registered_by", "registered_at",
                     "last_sent_seq", "last_received_seq", "pending"],
        "properties": {
            "id": string(), "name": string(), "region_code": string(),
            "relation": {"type": "string", "enum": ["parent", "child"]}, "base_url": string(),
            "status": {"type": "string", "enum": ["active", "revoked"]}, "registered_by": string(),
            "registered_at": string(format="date-time"), "revoked_at": string(format="date-time"), "revoked_reason": string(),
            "last_sent_seq": {"type": "integer", "minimum": 0}, "last_received_seq": {"type": "integer", "minimum": 0},
            "last_delivered_at": string(format="date-time"), "last_received_at": string(format="date-time"),
            "last_error": string("Why the last delivery to the peer failed; absent once one succeeds."),
            "pending": {"type": "integer", "minimum": 0, "description": "Messages waiting in the outbox."},
            "lag_seconds": {"type": "number", "minimum": 0, "description": "Age of the oldest waiting message."},
            "last_checkpoint_seq": {"type": "integer", "description": "The newest audit entry the sub-node's signed "
                                                                    "checkpoints received here attest."},
        },
    },
    "PeerList": {
        "type": "object", "additionalProperties": False, "required": ["nodes"],
        "properties": {"nodes": {"type": "array", "items": ref("Peer")}},
    },
    "NodeRegistration": {
        "type": "object",
        "required": ["id", "name", "region_code", "base_url", "certificate_pem"],
        "properties": {
            "id": string("2-63 lower-case letters, digits or '-'."), "name": string(),
            "region_code": string("The province registers cities (not 440000, one active node per region); a city "
                                  "registers the province (440000), once."),
            "base_url": string("http(s) URL without query or credentials."),
            "certificate_pem": string("The peer's node certificate, from its GET /api/v1/nodes/self."),
        },
    },
    "NodeRevocation": {
        "type": "object", "required": ["reason"], "properties": {"reason": string("Why (at most 500 characters).")},
    },
    "DeliveryReport": {
        "type": "object", "additionalProperties": False, "required": ["node", "delivered", "pending"],
        "properties": {
            "node": string(), "delivered": {"type": "integer", "minimum": 0}, "pending": {"type": "integer", "minimum": 0},
            "error": string("Why the peer did not accept the next message (HTTP status and code, or unreachable)."),
        },
    },
    "NodeEnvelope": {
        "type": "object",
        "required": ["id", "from", "to", "seq", "kind", "sent_at", "body", "signature"],
        "properties": {
            "id": string(), "from": string("The sending node; equal to the X-GovShare-Node header."),
            "to": string("This node."), "seq": {"type": "integer", "minimum": 1,
                                                "description": "The sender's message number to this node, from 1 without gaps."},
            "kind": {"type": "string", "enum": ["link.check", "catalog.entry", "audit.checkpoints"]},
            "sent_at": string(format="date-time"),
            "body": string("The message's content (JSON text, at most 1 MiB)."),
            "signature": string("Base64 SM2 signature (SM3, default ID) of the lines govshare-node-message/1, id, from, "
                                "to, seq, kind, sent_at, body."),
        },
    },
    "NodeReceipt": {
        "type": "object", "additionalProperties": False, "required": ["id", "seq", "outcome"],
        "properties": {"id": string(), "seq": {"type": "integer"},
                       "outcome": {"type": "string", "enum": ["accepted", "duplicate"]}},
    },
})

paths.update({
    "/api/v1/nodes/self": {"get": op(
        "getNodeSelf", "This node",
        "This node's id, name, region and node certificate: what a peer's administrator registers. No sign-in needed. 本节点信息，无需登录。",
        ok(200, "This node.", "NodeSelf"), tag="nodes", auth=False, forbidden=False, public=True)},
    "/api/v1/nodes": {
        "get": op("listNodes", "The registered peer nodes",
                  "Every registered peer with its link state (sequence numbers, messages waiting, lag, last error). "
                  "Policy nodes.read. 已登记节点。", ok(200, "The peers.", "PeerList"), tag="nodes"),
        "post": op("registerNode", "Register a peer node",
                   "On the provincial node a city sub-node; on a city node its provincial parent. Audited (node.register). "
                   "Policy nodes.manage. 登记节点。", ok(201, "The peer.", "Peer"), tag="nodes", validates=True, conflict=True,
                   body=json_body("NodeRegistration", "The peer.")),
    },
    "/api/v1/nodes/{id}": {"get": op(
        "getNode", "A registered peer node", "Policy nodes.read. 节点详情。", ok(200, "The peer.", "Peer"), tag="nodes",
        not_found=True, params=[NODE_ID])},
    "/api/v1/nodes/{id}/revoke": {"post": op(
        "revokeNode", "Revoke a peer node",
        "Its messages are refused from now on and nothing more is delivered to it. Audited (node.revoke). Policy "
        "nodes.manage. 撤销节点。", ok(200, "The revoked peer.", "Peer"), tag="nodes", not_found=True, conflict=True,
        validates=True, params=[NODE_ID], body=json_body("NodeRevocation", "Why."))},
    "/api/v1/nodes/{id}/check": {"post": op(
        "checkNodeLink", "Check the link to a peer",
        "Queues this node's catalog changes for the peer and a signed link.check message, and delivers everything "
        "waiting for the peer, in order. Policy nodes.check. "
        "检测链路。", ok(200, "What was delivered.", "DeliveryReport"), tag="nodes", not_found=True, conflict=True,
        params=[NODE_ID])},
    "/api/v1/nodes/{id}/checkpoints/export": {"get": op(
        "exportNodeCheckpoints", "A sub-node's audit checkpoints received here",
        "The sub-node's signed audit checkpoints as this node received them, in the checkpoint file format with the root "
        "certificate the sub-node sent; `govshare audit verify --checkpoints` on that node checks its chain against it. "
        "Recorded (node.checkpoints_export). Policy audit.read. 子节点审计检查点。",
        {"200": {"description": "The checkpoint file.",
                 "content": {"application/x-ndjson": {"schema": {"type": "string"}}}}},
        tag="nodes", not_found=True, params=[NODE_ID])},
    "/api/v1/federation/messages": {"post": op(
        "receiveNodeMessage", "Deliver a signed message from a peer node",
        "For peer nodes, not people: the sender in X-GovShare-Node must be an active registered peer (else 401 "
        "unknown_node, before the body is read) and X-GovShare-Signature must verify with its registered node "
        "certificate over the sender, this node, a time within federation_clock_skew_seconds and the body's length "
        "and SM3 (else 401 bad_request_signature, before the body is read; the body is then read up to that length "
        "and checked against it); the envelope must be addressed here, verify with the sender's "
        "registered node certificate (401 bad_signature), be sent within federation_clock_skew_seconds, and carry the "
        "next sequence number (409 replayed_message or out_of_order); the last accepted message again is answered "
        "as a duplicate. Refusals from a registered peer are audited. 接收节点消息。",
        ok(200, "Accepted, or a duplicate of the last accepted message.", "NodeReceipt"), tag="nodes", forbidden=False,
        conflict=True, validates=True, public=True, body=json_body("NodeEnvelope", "The signed envelope."),
        params=[{"name": "X-GovShare-Node", "in": "header", "required": True, "description": "The sending node's id.",
                 "schema": {"type": "string"}},
                {"name": "X-GovShare-Signature", "in": "header", "required": True,
                 "description": "t=<time>; len=<bytes>; sm3=<hex>; sig=<base64>: the sender's SM2 signature over the "
                                "lines govshare-node-request/1, from, to, time, length and SM3 of the body.",
                 "schema": {"type": "string", "maxLength": 512}}])},
})

# Issue 15 item 1 (Art. 27-28): a dataset's encryption at rest and its re-encryption.
schemas.update({
    "ReencryptionJob": {
        "type": "object", "additionalProperties": False,
        "description": "A background re-encryption of one dataset, batch by batch, each batch committed with its cursor. 重新加密任务。",
        "required": ["id", "state", "reason", "target_version", "rows_done", "rows_total", "created_by", "created_at", "updated_at"],
        "properties": {
            "id": string(), "state": {"type": "string", "enum": ["running", "done"]},
            "reason": {"type": "string", "enum": ["initial", "new_key"],
                       "description": "initial: rows mounted before encryption at rest; new_key: every row moves to a fresh data key."},
            "target_version": {"type": "integer", "minimum": 1}, "rows_done": {"type": "integer", "minimum": 0},
            "rows_total": {"type": "integer", "minimum": 0}, "created_by": string(),
            "created_at": string(format="date-time"), "updated_at": string(format="date-time"),
            "finished_at": string(format="date-time"),
        },
    },
    "DatasetEncryption": {
        "type": "object", "additionalProperties": False,
        "description": "Which items of a dataset are stored encrypted, under which key versions, and its re-encryptions. 数据集加密状态。",
        "required": ["entry_code", "encrypted_items", "pending", "key_versions", "jobs"],
        "properties": {
            "entry_code": string(),
            "encrypted_items": {"type": "array", "items": {"type": "string"}, "description": "Item codes stored SM4-GCM sealed."},
            "pending": {"type": "boolean", "description": "Rows with clear graded values remain (a re-encryption is due or running)."},
            "key_versions": {"type": "array", "items": {
                "type": "object", "additionalProperties": False,
                "required": ["version", "state", "kek_id", "items", "created_at"],
                "properties": {
                    "version": {"type": "integer", "minimum": 1}, "state": {"type": "string", "enum": ["active", "previous"]},
                    "kek_id": string("The key-encryption key that wraps this version's keys."),
                    "items": {"type": "array", "items": {"type": "string"}}, "created_at": string(format="date-time"),
                }}},
            "jobs": {"type": "array", "items": ref("ReencryptionJob"), "description": "Newest first (at most 20)."},
        },
    },
    "ReencryptRequest": {
        "type": "object", "additionalProperties": False,
        "properties": {"new_key": {"type": "boolean", "description": "Move every row to a fresh data key (the index key is kept)."}},
    },
})

paths.update({
    "/api/v1/datasets/{code}/encryption": {"get": op(
        "getDatasetEncryption", "A dataset's encryption at rest",
        "The items stored encrypted (sensitivity at least encrypt_from_grade), the key versions (wrapped by the "
        "key-encryption key, never shown) and the re-encryption jobs with their progress. Policy encryption.manage "
        "(platform_admin, platform_operator). 数据集静态加密状态。",
        ok(200, "The dataset's encryption.", "DatasetEncryption"), tag="exchange", not_found=True, params=[DATASET_CODE])},
    "/api/v1/datasets/{code}/encryption/reencrypt": {"post": op(
        "reencryptDataset", "Open a re-encryption of a dataset",
        "Opens a background re-encryption: with new_key under a fresh data key, otherwise only while rows with clear graded "
        "values remain (409 already_encrypted). One job per dataset at a time (409 reencryption_running). The scheduler "
        "runs it batch by batch (reencryption_batch_rows), each batch committed with its cursor, so a kill resumes at the "
        "last batch; reads keep working throughout. Audited (dataset.reencryption.start, .finish). Policy "
        "encryption.manage. 重新加密数据集。",
        {"202": {"description": "The job, running.", "content": {"application/json": {"schema": ref("ReencryptionJob")}}}},
        tag="exchange", not_found=True, conflict=True, validates=True, params=[DATASET_CODE],
        body=json_body("ReencryptRequest", "Whether to move to a new data key."))},
})

paths.update({
    "/api/v1/audit/checkpoints/export": {"get": op(
        "exportAuditCheckpoints", "Export the signed audit checkpoints",
        "JSON lines: a format line with the platform's root certificate, then one line per checkpoint (seq, hash, time, "
        "node, SM2 signature in base64, node certificate in PEM). Keep it away from this database; `govshare audit verify "
        "--checkpoints` checks the database against it. Recorded (audit.checkpoints_export). Policy audit.read. "
        "导出已签名的审计检查点。",
        {"200": {"description": "The checkpoint file.",
                 "content": {"application/x-ndjson": {"schema": {"type": "string"}}}}},
        tag="audit")},
    "/api/v1/audit/checkpoints/verify": {"post": op(
        "verifyAuditCheckpoints", "Verify the database against signed checkpoints",
        "Checks each checkpoint's SM2 signature and certificate chain to the root, then the database against them: a "
        "rewritten chain (the hash at a checkpoint's entry differs), a truncated tail (the chain ends before the last "
        "checkpoint), and changed read references (a read's digest differs), each finding naming its entry. Recorded "
        "(audit.verify_checkpoints). Policy audit.read. 依据已签名检查点校验审计日志。",
        ok(200, "The report.", "AuditCheckpointVerification"), tag="audit", validates=True,
        body=json_body("CheckpointVerifyRequest", "The checkpoint file and, optionally, the root to pin."))},
    "/api/v1/applications/{id}/decision-letter": {"get": op(
        "getDecisionLetter", "The signed reply letter of a decided application",
        "The letter (canonical JSON of the decision: application, parties, items, clear items, decision, refusals with "
        "their legal basis, deciders, time) exactly as signed with the data authority's seal, and the detached GB/T "
        "38540 signature; verify with POST /api/v1/seals/verify or `govshare seal verify`. For whoever may see the "
        "application; 404 while it is undecided. 已加盖主管部门印章的答复书。",
        ok(200, "The letter and its signature.", "OfficialDocument"), tag="sharing", forbidden=False, not_found=True,
        params=[APPLICATION_ID])},
    "/api/v1/grants/{id}/letter": {"get": op(
        "getGrantLetter", "The signed letter of a grant made outside the workflow",
        "Sealed by the data authority when the grant came into force (confirmed by a second person and, for clear graded "
        "items, consented to by the provider): the grant's terms, proposer, confirmer, consent, time. For the holder, the "
        "provider and the grant's managers; 404 otherwise, before it is in force, and for a grant an approval made (its "
        "terms are in the application's decision letter). 授权书（加盖主管部门印章）。",
        ok(200, "The letter and its signature.", "OfficialDocument"), tag="sharing", forbidden=False, not_found=True,
        params=[GRANT_ID])},
})

# Issue 15 items 4-5 (Art. 26, 28): archival packages and the audit retention cut (docs/archiving.md).
ARCHIVE_KINDS = ["audit_segment", "applications", "seals"]
schemas.update({
    "Archive": {
        "type": "object", "additionalProperties": False,
        "description": "A registered archival package. 归档包登记。",
        "required": ["id", "kind", "kind_name", "node_id", "location", "merkle_root", "manifest_sm3", "file_count",
                     "size_bytes", "created_at", "created_by", "created_by_name"],
        "properties": {
            "id": string(), "kind": {"type": "string", "enum": ARCHIVE_KINDS}, "kind_name": string(), "node_id": string(),
            "location": string("The package directory on the node that made it."),
            "merkle_root": string("SM3 Merkle root over the files (govshare-merkle-sm3/1), hex."),
            "manifest_sm3": string("SM3 of manifest.json, hex."),
            "file_count": {"type": "integer", "minimum": 0}, "size_bytes": {"type": "integer", "minimum": 0},
            "period_from": opt_string(), "period_to": opt_string(),
            "created_at": string(format="date-time"), "created_by": string(), "created_by_name": string(),
        },
    },
    "AuditSegment": {
        "type": "object", "additionalProperties": False,
        "description": "Audit entries first_seq..last_seq moved into an archival package. 已归档的审计日志段。",
        "required": ["id", "first_seq", "last_seq", "first_prev_hash", "last_hash", "archive_id", "archived_at", "entries",
                     "reads", "read_refs"],
        "properties": {
            "id": string(), "first_seq": {"type": "integer"}, "last_seq": {"type": "integer"},
            "first_prev_hash": string(), "last_hash": string("The next live entry's prev_hash must equal it."),
            "archive_id": string(), "archived_at": string(format="date-time"),
            "entries": {"type": "integer"}, "reads": {"type": "integer"}, "read_refs": {"type": "integer"},
        },
    },
    "ArchiveVerification": {
        "type": "object", "additionalProperties": False, "required": ["ok", "checked", "failures"],
        "properties": {
            "ok": {"type": "boolean"},
            "checked": {"type": "array", "items": {"type": "string"}, "description": "What was checked, in order."},
            "failures": {"type": "array", "items": {
                "type": "object", "additionalProperties": False, "required": ["code", "message_zh", "message_en"],
                "properties": {"code": string(), "message_zh": string(), "message_en": string()}}},
            "merkle_root": opt_string(), "signer": opt_string(),
        },
    },
})
ARCHIVE_ID = path_param("id", "The package id. 归档包编号。")
paths.update({
    "/api/v1/archives": {"get": op(
        "listArchives", "The archive registry",
        "Archival packages (Art. 26), newest first, at most 500: audit segments, applications with their decisions, seals "
        "issued; each with its location, Merkle root and manifest digest. Packages are made at the console and by the "
        "scheduler. 422 for an unknown kind. Policy archives.read. 归档包登记。",
        {"200": {"description": "The packages.", "content": {"application/json": {"schema": {
            "type": "array", "items": ref("Archive")}}}}},
        tag="archives", validates=True,
        params=[query("kind", {"type": "string", "enum": ARCHIVE_KINDS}, "Only this kind. 类型。")])},
    "/api/v1/archives/{id}": {"get": op(
        "getArchive", "One archival package", "Policy archives.read. 归档包。",
        ok(200, "The package.", "Archive"), tag="archives", not_found=True, params=[ARCHIVE_ID])},
    "/api/v1/archives/{id}/verify": {"post": op(
        "verifyArchive", "Check a package where it lies",
        "What govshare archive verify does offline, against the platform's root: every file's SM3, no unlisted file, the "
        "Merkle root, the data authority's GB/T 38540 signature over the manifest and its certificate chain, an audit "
        "segment's hash chain and read references; and that the manifest still carries the registered root. Policy "
        "archives.read. 核验归档包。",
        ok(200, "The report.", "ArchiveVerification"), tag="archives", not_found=True, params=[ARCHIVE_ID])},
    "/api/v1/audit/segments": {"get": op(
        "listAuditSegments", "Archived audit segments",
        "The ranges of the audit chain moved into audit-segment packages past audit_retention_days, oldest first; the live "
        "chain verifies from the entry after the newest. Policy archives.read. 已归档的审计日志段。",
        {"200": {"description": "The segments.", "content": {"application/json": {"schema": {
            "type": "array", "items": ref("AuditSegment")}}}}},
        tag="archives")},
})

# E-licences (Art. 23): issue 14.
LICENCE_STATUS = ["active", "revoked", "expired"]
schemas.update({
    "LicenceField": {
        "type": "object", "required": ["item", "name_zh", "name_en", "required"],
        "properties": {"item": string("The catalog entry's item the field belongs to. 信息项代码。"), "name_zh": string(),
                       "name_en": string(), "required": {"type": "boolean"}},
    },
    "LicenceType": {
        "type": "object",
        "required": ["id", "code", "name_zh", "name_en", "issuer_department_id", "holder_kind", "holder_item", "entry_id",
                     "entry_code", "fields"],
        "properties": {
            "id": string(), "code": string("e.g. yyzz (营业执照)."), "name_zh": string(), "name_en": string(),
            "issuer_department_id": string("The department that issues it: the entry's provider. 发证部门。"),
            "holder_kind": {"type": "string", "enum": ["resident", "enterprise"]},
            "holder_item": string("The entry's item holding the holder's ID number or credit code."),
            "entry_id": string(), "entry_code": string("The catalog entry reading a licence of this type reads. 所属目录。"),
            "fields": {"type": "array", "items": ref("LicenceField")},
        },
    },
    "LicenceAttachment": {
        "type": "object", "required": ["file_name", "content_type", "size", "sha256"],
        "properties": {"file_name": string(), "content_type": string(), "size": {"type": "integer"}, "sha256": string()},
    },
    "Licence": {
        "type": "object",
        "required": ["id", "type_id", "number", "holder_id", "holder_name", "issuer_department_id", "issued_at", "valid_from",
                     "fields", "status", "seal_id"],
        "properties": {
            "id": string(), "type_id": string(), "number": string(), "holder_id": string(), "holder_name": string(),
            "issuer_department_id": string(), "issued_at": string(), "valid_from": string(format="date"),
            "valid_to": opt_string("Last valid day; null: until revoked."),
            "fields": {"type": "object", "additionalProperties": {"type": "string"}},
            "file": {"oneOf": [ref("LicenceAttachment"), {"type": "null"}]},
            "status": {"type": "string", "enum": LICENCE_STATUS},
            "revoked_at": opt_string(), "revocation_reason": opt_string(),
            "seal_id": string("The issuer's seal that signed it. 签章印章。"),
        },
    },
    "LicenceIssueRequest": {
        "type": "object",
        "properties": {
            "type": string("Licence type code."), "number": string(maxLength=64),
            "holder_id": string("公民身份号码 (GB 11643) or 统一社会信用代码 (GB 32100), as the type says."),
            "holder_name": string(maxLength=200), "valid_from": string("YYYY-MM-DD."),
            "valid_to": opt_string("YYYY-MM-DD; omit for no end."),
            "fields": {"type": "object", "additionalProperties": {"type": "string"}, "description": "Item code → value."},
            "file": {"type": "object", "properties": {"file_name": string(), "content_type": string(),
                                                       "content": string("base64, at most 5 MiB decoded.")}},
        },
    },
    "LicenceTypeRequest": {
        "type": "object",
        "properties": {
            "code": string("Letters, digits, - and _ (e.g. business_licence)."), "name_zh": string(maxLength=100),
            "name_en": string(maxLength=200), "holder_kind": {"type": "string", "enum": ["resident", "enterprise"]},
            "holder_item": string("The entry's item holding the holder's ID number or credit code."),
            "holder_name_item": string("The entry's item holding the holder's name."),
            "number_item": opt_string("The entry's item holding the licence number."),
            "entry_code": string("A published catalog entry of the caller's department."),
            "fields": {"type": "array", "items": {"type": "object", "required": ["item", "name_zh", "name_en", "required"],
                       "properties": {"item": string(), "name_zh": string(), "name_en": string(), "required": {"type": "boolean"}}}},
        },
    },
    "LicenceRevokeRequest": {"type": "object", "properties": {"reason": string(maxLength=500)}},
    "LicenceLookupRequest": {
        "type": "object",
        "properties": {
            "holder_id": string("The holder's ID number or credit code."),
            "type": opt_string("Only this licence type (code)."),
            "purpose": opt_string("A subscription or grant id of your department; omitted: the best one it holds."),
            "matter": string("The business matter (事项) the licence is needed for. Required.", maxLength=200),
        },
    },
    "LicenceView": {
        "type": "object",
        "required": ["id", "type", "type_name", "holder_id", "issuer_department_id", "issued_at", "valid_from", "status",
                     "fields", "has_file", "downloadable"],
        "properties": {
            "id": string(), "type": string(), "type_name": string(), "number": opt_string("Null when its item is not readable."),
            "holder_id": string(), "holder_name": opt_string(), "issuer_department_id": string(), "issued_at": string(),
            "valid_from": string(), "valid_to": opt_string(), "status": {"type": "string", "enum": LICENCE_STATUS},
            "status_reason": opt_string(),
            "fields": {"type": "array", "items": {
                "type": "object", "required": ["item", "name", "value", "masked"],
                "properties": {"item": string(), "name": string(), "value": string(), "masked": {"type": "boolean"}}}},
            "has_file": {"type": "boolean"},
            "downloadable": {"type": "boolean", "description": "Every item readable in clear: the signed package may be downloaded."},
        },
    },
    "LicenceLookup": {
        "type": "object", "required": ["holder_id", "matter", "licences", "purpose_ids"],
        "properties": {"holder_id": string(), "matter": string(), "licences": {"type": "array", "items": ref("LicenceView")},
                       "purpose_ids": {"type": "array", "items": {"type": "string"}}},
    },
    "LicencePackage": {
        "type": "object",
        "required": ["format", "licence_id", "document", "document_text", "signature", "chain", "status_at_download"],
        "properties": {
            "format": string("govshare-licence-package/1"), "licence_id": string(),
            "document": string("The canonical document, base64: the signed bytes."), "document_text": string(),
            "signature": string("GB/T 38540 SES_Signature (DER), base64."),
            "chain": {"type": "array", "items": {"type": "string"}, "description": "PEM: the signer's certificate, then the root."},
            "status_at_download": {"type": "string", "enum": LICENCE_STATUS},
        },
    },
})
LICENCE_ID = path_param("id", "The licence id. 证照编号。")
paths.update({
    "/api/v1/licence-types": {
        "get": op(
            "listLicenceTypes", "Licence types",
            "Every e-licence type with its issuing department, its catalog entry and its fields. Any signed-in person. 证照类型。",
            {"200": {"description": "The types.", "content": {"application/json": {"schema": {
                "type": "array", "items": ref("LicenceType")}}}}}, tag="licences"),
        "post": op(
            "defineLicenceType", "Define a licence type",
            "Art. 23: a licence type on a published catalog entry of the caller's department, which then issues it; the "
            "holder, name, number and fields are items of that entry, so reading licences follows the catalog. Policy "
            "licences.define_type (cataloger). Audited (licence_type.define). 定义证照类型。",
            ok(201, "The type.", "LicenceType"), tag="licences", not_found=True, conflict=True, validates=True,
            body=json_body("LicenceTypeRequest", "The type.")),
    },
    "/api/v1/licences": {
        "get": op(
            "listIssuedLicences", "Licences your department issued",
            "Newest first, in clear (the issuer is the data's provider). Policy licences.issue (cataloger, "
            "department_reviewer); scoped to the caller's department. 本部门签发的证照。",
            {"200": {"description": "The licences.", "content": {"application/json": {"schema": {
                "type": "array", "items": ref("Licence")}}}}},
            tag="licences", params=[query("type", {"type": "string"}, "Licence type code."),
                                    query("holder_id", {"type": "string"}, "Only this holder."),
                                    query("limit", {"type": "integer", "minimum": 1, "maximum": 500}, "Default 100."),
                                    query("offset", {"type": "integer", "minimum": 0}, "Default 0.")]),
        "post": op(
            "issueLicence", "Issue a licence",
            "Art. 23: staff of the department that issues the type (403 not_issuer otherwise). The holder's identifier is "
            "checked by its standard, required fields, validity; the canonical document is signed with the department's "
            "data seal (GB/T 38540, SM2/SM3; a seal is issued to it through the seal service on first use). 409 "
            "licence_number_taken. Policy licences.issue (cataloger, department_reviewer). Audited (licence.issue). 签发证照。",
            ok(201, "The licence.", "Licence"), tag="licences", not_found=True, conflict=True, validates=True,
            body=json_body("LicenceIssueRequest", "The licence.")),
    },
    "/api/v1/licences/lookup": {"post": op(
        "lookUpLicences", "Look up a holder's licences",
        "Art. 23: by the holder's ID number or credit code, for a stated business matter (required). Allowed only under a "
        "subscription or grant of the caller's department to the licence type's catalog entry (or as its issuer), decided "
        "as any data read (AccessPolicy): 403 before anything about the holder is looked at; fields masked as the grant "
        "says; the holder's item must be readable in clear. Recorded as a read in the trace (record: the holder). Policy "
        "data.read (data_user, cataloger, department_reviewer). 按持证人查用证照。",
        ok(200, "What was found.", "LicenceLookup"), tag="licences", not_found=True, validates=True,
        body=json_body("LicenceLookupRequest", "Holder, matter and, optionally, type and purpose."))},
    "/api/v1/licences/root-certificate": {"get": op(
        "getLicenceRootCertificate", "The root certificate that verifies licences",
        "The platform's root (SM2 with SM3), PEM. Public: anyone handed a licence package verifies it offline with it "
        "(govshare licence verify PACKAGE --root ROOT.pem). 平台根证书（公开）。",
        {"200": {"description": "PEM.", "content": {"application/x-pem-file": {"schema": {"type": "string"}}}}},
        tag="licences", auth=False, forbidden=False, public=True)},
    "/api/v1/licences/{id}/revoke": {"post": op(
        "revokeLicence", "Revoke a licence",
        "By the issuing department's reviewer, with the reason; 409 licence_revoked when already revoked. Policy "
        "licences.revoke (department_reviewer). Audited. 注销证照。",
        ok(200, "The licence.", "Licence"), tag="licences", not_found=True, conflict=True, validates=True,
        params=[LICENCE_ID], body=json_body("LicenceRevokeRequest", "The reason."))},
    "/api/v1/licences/{id}/package": {"get": op(
        "downloadLicencePackage", "Download a licence's signed package",
        "The canonical document, the SES_Signature and the signer's chain, for offline verification with the root "
        "certificate. Only for a caller who may read every item of the licence in clear (403 licence_not_clear) under "
        "purpose (a subscription or grant id; omitted: the best one). Recorded as a read. Policy data.read. 下载签章证照文件。",
        ok(200, "The package.", "LicencePackage"), tag="licences", not_found=True, validates=True,
        params=[LICENCE_ID, query("purpose", {"type": "string"}, "Subscription or grant id."),
                query("matter", {"type": "string", "maxLength": 200}, "The business matter. Required.", required=True)])},
})

# Risk reports (Art. 28) and destruction (Art. 27): issue 15, items 3 and 4.
SEVERITIES = ["info", "low", "medium", "high"]
DESTRUCTION_SCOPES = ["dataset", "updated_before"]
DESTRUCTION_STATUSES = ["pending", "approved", "rejected", "executed"]
schemas.update({
    "RiskReport": {
        "type": "object",
        "required": ["id", "period_from", "period_to", "trigger", "generated_by", "generated_at", "worst", "finding_count",
                     "seal_id", "document_sm3", "node_id"],
        "properties": {
            "id": string(), "period_from": string("First day (YYYY-MM-DD, China Standard Time)."),
            "period_to": string("Last day, included."), "trigger": {"type": "string", "enum": ["on_demand", "scheduled"]},
            "generated_by": string(), "generated_at": string(), "worst": {"type": "string", "enum": SEVERITIES},
            "finding_count": {"type": "integer"}, "seal_id": string("The data authority's seal that signed it."),
            "document_sm3": string("SM3 of the signed content. 内容摘要。"), "node_id": string(),
            "content": {"type": "object", "description": "The signed content (format govshare-risk-report/1): sections "
                        "sign_ins, unusual_reads, grants, graded_items, incidents, audit, backups and findings. 报告内容。"},
            "signature": string("The SES_Signature (GB/T 38540), DER, base64. 签章。"),
        },
    },
    "ThirdPartyRiskReport": {
        "type": "object",
        "required": ["id", "period_from", "period_to", "title", "assessor", "file_name", "size", "sha256", "sm3",
                     "uploaded_by", "uploaded_at"],
        "properties": {
            "id": string(), "period_from": string(), "period_to": string(), "title": string(), "assessor": string(),
            "file_name": string(), "size": {"type": "integer"}, "sha256": string(), "sm3": string(),
            "uploaded_by": string(), "uploaded_at": string(),
        },
    },
    "RiskReportList": {
        "type": "object", "required": ["reports", "third_party"],
        "properties": {"reports": {"type": "array", "items": ref("RiskReport")},
                       "third_party": {"type": "array", "items": ref("ThirdPartyRiskReport")}},
    },
    "RiskReportVerification": {
        "type": "object", "required": ["report_id", "valid", "reasons", "document_sm3"],
        "properties": {"report_id": string(), "valid": {"type": "boolean"},
                       "reasons": {"type": "array", "items": {"type": "string"}}, "document_sm3": string()},
    },
    "RiskReportGenerateRequest": {
        "type": "object",
        "properties": {"from": string("First day, YYYY-MM-DD. Required.", maxLength=10),
                       "to": string("Last day, YYYY-MM-DD, not after today, at most 366 days after from. Required.", maxLength=10)},
    },
    "DestructionRequest": {
        "type": "object",
        "required": ["id", "dataset_id", "entry_code", "provider_id", "scope", "basis", "status", "requested_by", "requested_at"],
        "properties": {
            "id": string(), "dataset_id": string(), "entry_code": string(), "provider_id": string(),
            "scope": {"type": "string", "enum": DESTRUCTION_SCOPES}, "before": opt_string("updated_before: the day (YYYY-MM-DD)."),
            "basis": string(), "status": {"type": "string", "enum": DESTRUCTION_STATUSES}, "requested_by": string(),
            "requested_at": string(), "decided_by": opt_string(), "decided_at": opt_string(), "decision_note": opt_string(),
        },
    },
    "DestructionRecord": {
        "type": "object",
        "required": ["id", "request_id", "dataset_id", "entry_code", "provider_id", "scope", "basis", "requested_by",
                     "approved_by", "executed_by", "row_count", "sm3", "executed_at", "node_id"],
        "properties": {
            "id": string(), "request_id": string(), "dataset_id": string(), "entry_code": string(), "provider_id": string(),
            "scope": {"type": "string", "enum": DESTRUCTION_SCOPES}, "before": opt_string(), "basis": string(),
            "requested_by": string(), "approved_by": string(), "executed_by": string(), "row_count": {"type": "integer"},
            "sm3": string("SM3 over the destroyed rows' canonical content, computed before deletion (docs/destruction.md)."),
            "executed_at": string(), "node_id": string(),
        },
    },
    "DestructionList": {
        "type": "object", "required": ["requests", "records"],
        "properties": {"requests": {"type": "array", "items": ref("DestructionRequest")},
                       "records": {"type": "array", "items": ref("DestructionRecord")}},
    },
    "DestructionRequestBody": {
        "type": "object",
        "properties": {
            "entry_code": string("The catalog entry's code (or id). Required. 目录代码。", maxLength=200),
            "scope": {"type": "string", "enum": DESTRUCTION_SCOPES, "description": "Required."},
            "before": string("updated_before only: rows last updated before this day (YYYY-MM-DD, not in the future).", maxLength=10),
            "basis": string("Required: why (retention rule, withdrawal). 销毁依据。", maxLength=2000),
        },
    },
    "DestructionDecision": {
        "type": "object",
        "properties": {"note": string("Required to reject. 意见。", maxLength=1000)},
    },
})
RISK_ID = path_param("id", "The report's id. 报告编号。")
DESTRUCTION_ID = path_param("id", "The request's id. 申请编号。")
responses["TooLargePDF"] = problem_response("The file exceeds 32 MiB (code too_large). 文件超过 32 MiB。")
paths.update({
    "/api/v1/risk-reports": {
        "get": op(
            "listRiskReports", "List risk reports",
            "Computed reports (newest first, without their content) and third parties' uploaded reports. Policy "
            "risk_reports.read (security_auditor, security_officer, platform_admin, authority_reviewer). 风险评估报告列表。",
            ok(200, "The reports.", "RiskReportList"), tag="risk"),
        "post": op(
            "generateRiskReport", "Generate a risk report",
            "Art. 28: computes the report of from–to (civil dates) from the platform, renders it, signs its content with the "
            "data authority's seal and stores it, in one transaction with the audit entries. Policy risk_reports.generate "
            "(security_officer, platform_admin, operator). Audited (risk_report.generate, seal.sign). 生成风险评估报告。",
            ok(201, "The report with its content.", "RiskReport"), tag="risk", validates=True,
            body=json_body("RiskReportGenerateRequest", "The period.")),
    },
    "/api/v1/risk-reports/uploads": {"post": op(
        "uploadRiskReport", "Upload a third party's risk report",
        "multipart/form-data: file (a PDF, at most 32 MiB), title, assessor, from, to, optionally file_name. Kept in the "
        "file store with its SHA-256 and SM3. Policy risk_reports.upload (security_auditor). Audited. 上传第三方评估报告。",
        ok(201, "The uploaded report.", "ThirdPartyRiskReport"), tag="risk", validates=True, too_large="TooLargePDF",
        body={"required": True, "description": "The report and its period.",
              "content": {"multipart/form-data": {"schema": {
                  "type": "object", "required": ["file", "title", "assessor", "from", "to"],
                  "properties": {"file": BINARY, "title": string(maxLength=200), "assessor": string(maxLength=200),
                                 "from": string(), "to": string(), "file_name": string(maxLength=200)}}}}})},
    "/api/v1/risk-reports/uploads/{id}/file": {"get": op(
        "downloadRiskReportUpload", "Download a third party's report",
        "The PDF as uploaded. Policy risk_reports.read. 下载第三方评估报告。",
        {"200": {"description": "The PDF.", "content": {"application/pdf": {"schema": BINARY}}}}, tag="risk",
        not_found=True, params=[path_param("id", "The upload's id.")])},
    "/api/v1/risk-reports/{id}": {"get": op(
        "getRiskReport", "One risk report",
        "With its signed content and signature. Policy risk_reports.read. 风险评估报告详情。",
        ok(200, "The report.", "RiskReport"), tag="risk", not_found=True, params=[RISK_ID])},
    "/api/v1/risk-reports/{id}/verify": {"get": op(
        "verifyRiskReport", "Verify a risk report",
        "Checks the stored content against its signature (SM3, SM2, the seal, the chain to the root) and its recorded "
        "digest; valid false with reasons when anything differs. Policy risk_reports.read. 验证风险评估报告。",
        ok(200, "The verification.", "RiskReportVerification"), tag="risk", not_found=True, params=[RISK_ID])},
    "/api/v1/destructions": {
        "get": op(
            "listDestructions", "List destruction requests and records",
            "One's own department's, and those of the departments one's data authority reviews (all for administrators, "
            "auditors and security officers). Policy destruction.read. 数据销毁申请与记录。",
            ok(200, "Requests and records, newest first.", "DestructionList"), tag="destruction"),
        "post": op(
            "requestDestruction", "Request a destruction",
            "Art. 27: the provider's reviewer asks to destroy every row of a withdrawn dataset (scope dataset; 409 "
            "dataset_not_retired while its entry is published) or the rows last updated before a day (scope "
            "updated_before). Policy destruction.request (department_reviewer of the provider). Audited. 申请销毁数据。",
            ok(201, "The request.", "DestructionRequest"), tag="destruction", conflict=True, validates=True,
            body=json_body("DestructionRequestBody", "What and why.")),
    },
    "/api/v1/destructions/{id}/approve": {"post": op(
        "approveDestruction", "Approve a destruction request",
        "By a reviewer of the data authority over the provider, never the requester (403 separation_of_duties); 409 "
        "destruction_status unless pending. Policy destruction.approve (authority_reviewer). Audited. 批准销毁申请。",
        ok(200, "The request.", "DestructionRequest"), tag="destruction", not_found=True, conflict=True, validates=True,
        params=[DESTRUCTION_ID], body=json_body("DestructionDecision", "An optional note."))},
    "/api/v1/destructions/{id}/reject": {"post": op(
        "rejectDestruction", "Reject a destruction request",
        "As approve; the note is required. Policy destruction.approve (authority_reviewer). Audited. 驳回销毁申请。",
        ok(200, "The request.", "DestructionRequest"), tag="destruction", not_found=True, conflict=True, validates=True,
        params=[DESTRUCTION_ID], body=json_body("DestructionDecision", "The reason."))},
    "/api/v1/destructions/{id}/execute": {"post": op(
        "executeDestruction", "Execute an approved destruction",
        "By the provider's reviewer: in one transaction the rows in scope are read in key order, digested (SM3), deleted, "
        "and the record and audit entry (destruction.execute) written; 409 destruction_status unless approved. Audit log "
        "and read trace are never destroyed here. Policy destruction.request (department_reviewer). 执行数据销毁。",
        ok(201, "The destruction record.", "DestructionRecord"), tag="destruction", not_found=True, conflict=True,
        params=[DESTRUCTION_ID])},
})

OBJECTION_KINDS = ["wrong_value", "missing_record", "outdated", "duplicate", "format"]
OBJECTION_ID = path_param("id", "The objection's id. 异议编号。")
schemas.update({
    "ObjectionRecord": {
        "type": "object", "required": ["key", "state"],
        "properties": {
            "key": string("The record's primary key (empty: the objection's whole subject); masked for viewers who are not "
                          "parties. 记录主键。"),
            "proposed_value": opt_string("What the objector believes correct. 建议值。"),
            "state": {"type": "string", "enum": ["pending", "confirmed", "rejected", "corrected"]},
            "reason": opt_string("The provider's reason for a rejection. 不予认可理由。"),
            "corrected_by": opt_string("The report batch that corrected it. 更正批次。"),
        },
    },
    "ObjectionStep": {
        "type": "object", "required": ["at", "action", "actor_name", "department_id"],
        "properties": {"at": string(), "action": string(), "actor_name": string(), "department_id": string(), "note": opt_string()},
    },
    "ObjectionAttachment": {
        "type": "object", "required": ["id", "file_name", "media_type", "size", "sha256", "uploaded_by", "department_id", "created_at"],
        "properties": {"id": string(), "file_name": string(), "media_type": string(), "size": {"type": "integer"},
                       "sha256": string(), "uploaded_by": string(), "department_id": string(), "created_at": string()},
    },
    "Objection": {
        "type": "object",
        "required": ["id", "dataset_id", "entry_code", "entry_name", "provider_id", "objector_department_id", "authority_id",
                     "kind", "description", "status", "overdue", "records", "attachments", "history", "created_by",
                     "created_at", "updated_at", "node_id"],
        "properties": {
            "id": string(), "dataset_id": string(), "entry_code": string(), "entry_name": string(), "provider_id": string(),
            "objector_department_id": string(), "authority_id": string("The data authority over the provider, who rules."),
            "kind": {"type": "string", "enum": OBJECTION_KINDS}, "item": opt_string(), "description": string(),
            "status": {"type": "string", "enum": ["open", "answered", "disputed", "closed"]},
            "due_on": opt_string("The running clock's due date (answer or ruling), on the official calendar. 办理时限。"),
            "due_provisional": {"type": ["boolean", "null"]},
            "overdue": {"type": "boolean"},
            "answer": opt_string(), "answered_at": opt_string(), "answered_late": {"type": ["boolean", "null"]},
            "correction_due_on": opt_string("Confirmed records are corrected by this day. 更正时限。"),
            "dispute_reason": opt_string(), "ruling": opt_string(), "ruled_by": opt_string(),
            "outcome": {"type": ["string", "null"], "enum": ["accepted", "upheld", "dismissed", "withdrawn", None]},
            "records": {"type": "array", "items": ref("ObjectionRecord")},
            "attachments": {"type": "array", "items": ref("ObjectionAttachment")},
            "history": {"type": "array", "items": ref("ObjectionStep")},
            "created_by": string(), "created_at": string(), "updated_at": string(), "node_id": string(),
        },
    },
    "ObjectionList": {"type": "array", "items": ref("Objection")},
    "RaiseObjection": {
        "type": "object",
        "properties": {
            "dataset": string("The resource code (or entry id) of a dataset the department may read. Required. 资源代码。", maxLength=200),
            "kind": {"type": "string", "enum": OBJECTION_KINDS, "description": "Required. 异议类型。"},
            "item": string("The item concerned (one the department may read; required for format). 信息项。", maxLength=200),
            "description": string("Required. 异议说明。", maxLength=2000),
            "records": {"type": "array", "maxItems": 100, "items": {"type": "object", "properties": {
                "key": {"type": ["string", "number"], "description": "A primary key the department has read. 记录主键。"},
                "token": string("Instead of key: the row token a portal preview gave the department (for keys it sees "
                                "masked). 记录标识。", maxLength=1024),
                "proposed_value": string("The value believed correct. 建议值。", maxLength=1000)}}},
        },
    },
    "AnswerObjection": {
        "type": "object",
        "properties": {
            "decisions": {"type": "array", "items": {"type": "object", "properties": {
                "key": {"type": ["string", "number"], "description": "The record's key as listed (empty for the whole subject)."},
                "confirm": {"type": "boolean"}, "reason": string("Required to reject.", maxLength=2000)}}},
            "note": string(maxLength=2000),
        },
    },
    "ObjectionCorrectionRequest": {
        "type": "object",
        "properties": {"rows": {"type": "array", "items": {"type": "object", "additionalProperties": {"type": ["string", "number", "null"]},
            "description": "The key and the items that change; the other items keep their stored values."}}},
    },
    "ObjectionCorrection": {
        "type": "object", "required": ["objection", "batch", "notified_readers"],
        "properties": {"objection": ref("Objection"), "batch": ref("Batch"),
                       "notified_readers": {"type": "integer", "description": "Departments told that what they read was corrected."}},
    },
    "ObjectionDispute": {"type": "object", "properties": {"reason": string("Required.", maxLength=2000)}},
    "ObjectionRuling": {"type": "object", "properties": {"upheld": {"type": "boolean"}, "ruling": string("Required.", maxLength=2000)}},
    "ObjectionStatistics": {
        "type": "object", "required": ["providers"],
        "properties": {"providers": {"type": "array", "items": {"type": "object", "required": [
            "department_id", "received", "answered", "answered_on_time", "late", "open", "confirmed", "corrected", "disputed"],
            "properties": {"department_id": string(), "received": {"type": "integer"}, "answered": {"type": "integer"},
                           "answered_on_time": {"type": "integer"}, "late": {"type": "integer"}, "open": {"type": "integer"},
                           "confirmed": {"type": "integer"}, "corrected": {"type": "integer"}, "disputed": {"type": "integer"},
                           "average_working_days": {"type": ["number", "null"]}}}}},
    },
})
paths.update({
    "/api/v1/objections": {
        "get": op("listObjections", "List objections",
                  "Those of one's department as objector or provider, and (authority reviewers) of the departments its "
                  "authority reviews; all for administrators and auditors (record keys masked for them). 数据异议列表。",
                  ok(200, "Newest first.", "ObjectionList"), tag="objections"),
        "post": op("raiseObjection", "Raise an objection",
                   "Art. 21: a department that reads a dataset (subscription or grant in force) objects to it, an item it may "
                   "read (403 item_not_readable otherwise) or records its department has read (422 records[i].key not_read "
                   "otherwise, the same for a record that does not exist). The provider answers within "
                   "objection_reply_working_days (default 5) working days. Policy objections.raise. Audited. 提出数据异议。",
                   ok(201, "The objection.", "Objection"), tag="objections", validates=True,
                   body=json_body("RaiseObjection", "What is wrong.")),
    },
    "/api/v1/objections/queue": {"get": op(
        "objectionQueue", "Objections awaiting one's department", "Overdue first, then by due date. 待办异议。",
        ok(200, "The queue.", "ObjectionList"), tag="objections")},
    "/api/v1/objections/statistics": {"get": op(
        "objectionStatistics", "Objection handling per provider",
        "Received, answered (on time, late), open, confirmed, corrected, disputed, average working days to answer "
        "(supervision input, Art. 29–31). Administrators and auditors: all; authority reviewers: the departments they "
        "review. 异议处理统计。", ok(200, "Per provider.", "ObjectionStatistics"), tag="objections")},
    "/api/v1/objections/{id}": {"get": op(
        "getObjection", "One objection", "With its records, history and attachments. 异议详情。",
        ok(200, "The objection.", "Objection"), tag="objections", forbidden=False, not_found=True, params=[OBJECTION_ID])},
    "/api/v1/objections/{id}/answer": {"post": op(
        "answerObjection", "Answer an objection",
        "The provider confirms or rejects (with a reason) every record, once, while open. Confirmed records are flagged "
        "in reads until corrected. Policy objections.answer. Audited. 校核答复。",
        ok(200, "The objection.", "Objection"), tag="objections", not_found=True, conflict=True, validates=True,
        params=[OBJECTION_ID], body=json_body("AnswerObjection", "One decision per record."))},
    "/api/v1/objections/{id}/correction": {"post": op(
        "correctObjection", "Correct confirmed records",
        "A report batch (all or nothing, client batch id objection-<id>-<n>) through the normal reporting path; rows name "
        "the key and the items that change. A batch that fails validation changes nothing (422 batch_rejected). Readers "
        "of the corrected records in the last correction_notice_days days are told. Policy objections.answer and "
        "data.report. Audited. 更正数据。",
        ok(201, "The objection and the batch.", "ObjectionCorrection"), tag="objections", not_found=True, conflict=True,
        validates=True, params=[OBJECTION_ID], body=json_body("ObjectionCorrectionRequest", "The corrected rows."))},
    "/api/v1/objections/{id}/accept": {"post": op(
        "acceptObjectionAnswer", "Accept the answer", "The objector's department closes the objection. 认可答复。",
        ok(200, "The objection.", "Objection"), tag="objections", not_found=True, conflict=True, params=[OBJECTION_ID])},
    "/api/v1/objections/{id}/dispute": {"post": op(
        "disputeObjectionAnswer", "Dispute the answer",
        "The objector disputes a rejection; the data authority over the provider rules within "
        "objection_ruling_working_days (default 10). Audited. 提出争议。",
        ok(200, "The objection.", "Objection"), tag="objections", not_found=True, conflict=True, validates=True,
        params=[OBJECTION_ID], body=json_body("ObjectionDispute", "Why."))},
    "/api/v1/objections/{id}/withdraw": {"post": op(
        "withdrawObjection", "Withdraw an objection", "The objector's department, before it closes. 撤回异议。",
        ok(200, "The objection.", "Objection"), tag="objections", not_found=True, conflict=True, params=[OBJECTION_ID])},
    "/api/v1/objections/{id}/ruling": {"post": op(
        "ruleOnObjection", "Rule on a dispute",
        "A reviewer of the data authority over the provider who took no part (403 separation_of_duties). Upheld: the "
        "rejected records are confirmed and must be corrected within objection_correction_working_days. Final. Policy "
        "objections.rule. Audited. 主管部门裁定。",
        ok(200, "The objection.", "Objection"), tag="objections", not_found=True, conflict=True, validates=True,
        params=[OBJECTION_ID], body=json_body("ObjectionRuling", "The ruling."))},
    "/api/v1/objections/{id}/attachments": {"post": op(
        "attachToObjection", "Attach evidence",
        "Body: the file (up to 10 MiB, at most 10 per objection), its name in file_name. The objector or the provider, "
        "while the objection is not closed. Audited. 上传证明材料。",
        ok(201, "The attachment.", "ObjectionAttachment"), tag="objections", not_found=True, conflict=True, validates=True,
        too_large="TooLargeFile",
        params=[OBJECTION_ID, query("file_name", {"type": "string", "minLength": 1, "maxLength": 200}, "The file's name. 文件名。",
                                    required=True)],
        body={"required": True, "description": "The file's bytes. 文件内容。", "content": {"*/*": {"schema": BINARY}}})},
    "/api/v1/objections/{id}/attachments/{attachment}": {"get": op(
        "downloadObjectionAttachment", "Download evidence", "For whoever may see the objection; checked against its SHA-256. 下载证明材料。",
        {"200": {"description": "The file.",
                 "headers": {"X-Checksum-SHA256": {"required": True, "schema": {"type": "string"},
                                                   "description": "The SHA-256 of the content. 校验和。"}},
                 "content": {"*/*": {"schema": BINARY}}}},
        tag="objections", forbidden=False, not_found=True,
        params=[OBJECTION_ID, path_param("attachment", "The attachment id. 附件编号。")])},
})

# Conflicts between providers (Art. 13): issue 16, part 3.
CONFLICT_STATUSES = ["negotiating", "agreed", "escalated", "arbitrated"]
SIDES = ["left", "right"]
schemas.update({
    "FactPairSide": {
        "type": "object",
        "required": ["dataset_id", "entry_id", "entry_code", "entry_name", "provider_id", "item", "key_item"],
        "properties": {
            "dataset_id": string(), "entry_id": string(), "entry_code": string("The catalog entry's resource code."),
            "entry_name": string(), "provider_id": string(), "item": string("The item compared. 比对信息项。"),
            "key_item": string("The item that identifies the record on this side. 关联键。"),
        },
    },
    "FactPair": {
        "type": "object",
        "required": ["id", "authority_id", "left", "right", "note", "status", "declared_by", "declared_at", "node_id"],
        "properties": {
            "id": string(), "authority_id": string("The data authority that declared it and arbitrates."),
            "left": ref("FactPairSide"), "right": ref("FactPairSide"), "note": string(),
            "status": {"type": "string", "enum": ["active", "retired"]}, "declared_by": string(), "declared_at": string(),
            "retired_at": opt_string(), "node_id": string(),
        },
    },
    "FactPairList": {"type": "object", "required": ["pairs"],
                     "properties": {"pairs": {"type": "array", "items": ref("FactPair")}}},
    "FactPairSideBody": {
        "type": "object",
        "properties": {"entry_code": string("Resource code of a published entry with mounted data. Required.", maxLength=200),
                       "item": string("Item code compared. Required.", maxLength=64),
                       "key_item": string("Item code the records are matched on. Required.", maxLength=64)},
    },
    "FactPairBody": {
        "type": "object",
        "properties": {"left": ref("FactPairSideBody"), "right": ref("FactPairSideBody"), "note": opt_string(maxLength=2000)},
        "examples": [{"left": {"entry_code": "101001/000001", "item": "CSRQ", "key_item": "GMSFHM"},
                      "right": {"entry_code": "301001/000001", "item": "CSRQ", "key_item": "GMSFHM"}}],
    },
    "ConflictCase": {
        "type": "object",
        "required": ["id", "pair_id", "authority_id", "left_provider_id", "right_provider_id", "status", "disagreements",
                     "opened_at", "due_on", "updated_at", "node_id", "pair"],
        "properties": {
            "id": string(), "pair_id": string(), "authority_id": string(), "left_provider_id": string(),
            "right_provider_id": string(), "status": {"type": "string", "enum": CONFLICT_STATUSES},
            "disagreements": {"type": "integer", "description": "Disagreeing records found by the last check."},
            "opened_at": string(), "due_on": string("Last day of negotiation (working days, official calendar). 协商期限。"),
            "updated_at": string(), "node_id": string(), "pair": ref("FactPair"),
            "proposed_side": {"type": ["string", "null"], "enum": SIDES + [None]}, "proposed_by": opt_string("Department id."),
            "resolved_side": {"type": ["string", "null"], "enum": SIDES + [None]}, "resolved_by": opt_string(),
            "resolved_at": opt_string(), "reasons": opt_string(), "escalated_at": opt_string(),
        },
    },
    "ConflictCaseList": {"type": "object", "required": ["cases"],
                         "properties": {"cases": {"type": "array", "items": ref("ConflictCase")}}},
    "ConflictFinding": {
        "type": "object", "required": ["id", "left_withheld", "right_withheld"],
        "properties": {
            "id": string(), "left_key": opt_string(), "left_value": opt_string(), "right_key": opt_string(),
            "right_value": opt_string(),
            "left_withheld": {"type": "boolean", "description": "The left side's key and value are shown only to its "
                                                                "provider and the arbitrating authority."},
            "right_withheld": {"type": "boolean"},
        },
    },
    "ConflictMessage": {
        "type": "object", "required": ["id", "kind", "department_id", "author", "body", "created_at"],
        "properties": {"id": string(), "kind": {"type": "string", "enum": ["message", "proposal", "agreement", "escalation",
                                                                            "arbitration"]},
                       "department_id": string(), "author": string(), "body": string(), "created_at": string()},
    },
    "ConflictCaseDetail": {
        "type": "object", "required": ["conflict", "findings", "messages", "may_negotiate", "may_agree", "may_arbitrate"],
        "properties": {"conflict": ref("ConflictCase"), "findings": {"type": "array", "items": ref("ConflictFinding")},
                       "messages": {"type": "array", "items": ref("ConflictMessage")},
                       "may_negotiate": {"type": "boolean"}, "may_agree": {"type": "boolean"},
                       "may_arbitrate": {"type": "boolean"}},
    },
    "ConflictRun": {
        "type": "object",
        "required": ["id", "trigger", "started_by", "started_at", "finished_at", "node_id", "pairs_checked", "disagreements",
                     "cases_opened", "milliseconds"],
        "properties": {"id": string(), "trigger": {"type": "string", "enum": ["scheduled", "on_demand"]},
                       "started_by": string(), "started_at": string(), "finished_at": string(), "node_id": string(),
                       "pairs_checked": {"type": "integer"}, "disagreements": {"type": "integer"},
                       "cases_opened": {"type": "integer"}, "milliseconds": {"type": "integer"}},
    },
    "ConflictRunList": {"type": "object", "required": ["runs"],
                        "properties": {"runs": {"type": "array", "items": ref("ConflictRun")}}},
    "ConflictStatistics": {
        "type": "object", "required": ["providers"],
        "properties": {"providers": {"type": "array", "items": {
            "type": "object",
            "required": ["provider_id", "open", "resolved", "negotiating", "escalated", "agreed", "arbitrated"],
            "properties": {"provider_id": string(), "open": {"type": "integer"}, "resolved": {"type": "integer"},
                           "negotiating": {"type": "integer"}, "escalated": {"type": "integer"},
                           "agreed": {"type": "integer"}, "arbitrated": {"type": "integer"}}}}},
    },
    "AuthoritativeSource": {
        "type": "object",
        "required": ["item", "source_entry_code", "source_entry_name", "source_item", "decided_how", "decided_at", "case_id"],
        "properties": {"item": string("This entry's item."), "source_entry_code": string(), "source_entry_name": string(),
                       "source_item": string(), "decided_how": {"type": "string", "enum": ["agreed", "arbitrated"]},
                       "decided_at": string(), "case_id": string()},
    },
    "ConflictMessageBody": {"type": "object", "properties": {"body": string("Required.", maxLength=4000)}},
    "ConflictProposalBody": {"type": "object",
                             "properties": {"side": {"type": "string", "enum": SIDES, "description": "Required."},
                                            "note": opt_string(maxLength=2000)}},
    "ConflictEscalationBody": {"type": "object", "properties": {"note": string("Required: why negotiation failed.", maxLength=2000)}},
    "ConflictArbitrationBody": {"type": "object",
                                "properties": {"side": {"type": "string", "enum": SIDES, "description": "Required."},
                                               "reasons": string("Required.", maxLength=2000)}},
})
schemas["CatalogEntry"]["properties"]["authoritative_sources"] = {
    "type": "array", "items": ref("AuthoritativeSource"),
    "description": "Items of this entry for which a conflict between providers named the authoritative source (Art. 13). 权威来源。"}

CONFLICT_ID = path_param("id", "The conflict case's id. 数据冲突编号。")
PAIR_ID = path_param("id", "The fact pair's id. 事实对应关系编号。")
paths.update({
    "/api/v1/conflicts/pairs": {
        "get": op(
            "listFactPairs", "List fact pairs",
            "Pairs of items of two providers' datasets declared to describe the same fact: the caller's authority's and "
            "those involving the caller's department (all for administrators and auditors). Policy conflicts.read. 事实对应关系。",
            ok(200, "Active pairs (with include_retired=true also retired ones).", "FactPairList"), tag="conflicts",
            params=[query("include_retired", {"type": "string", "enum": ["true", "false"]}, "Also retired pairs.")]),
        "post": op(
            "declareFactPair", "Declare a fact pair",
            "Two published, mounted datasets of two different providers, both reviewed by the caller's data authority; each "
            "side names the item compared and the key item records are matched on. 422 names the field (left.item, "
            "right.entry_code …); 409 pair_exists. Policy conflicts.declare (authority_reviewer). Audited. 声明事实对应关系。",
            ok(201, "The pair.", "FactPair"), tag="conflicts", conflict=True, validates=True,
            body=json_body("FactPairBody", "The two sides.")),
    },
    "/api/v1/conflicts/pairs/{id}/retire": {"post": op(
        "retireFactPair", "Retire a fact pair",
        "The check no longer compares it; its cases and sources stay. Policy conflicts.declare. Audited. 停用事实对应关系。",
        ok(200, "The pair.", "FactPair"), tag="conflicts", not_found=True, conflict=True, params=[PAIR_ID])},
    "/api/v1/conflicts/check": {"post": op(
        "runConflictCheck", "Run the conflict check",
        "Compares every active pair in the caller's scope (an authority reviewer: its authority's pairs; administrators and "
        "operators: all) record by record and opens a case between the providers for each pair that disagrees (or refreshes "
        "its open case). Clear items: one SQL join; encrypted items: each side read once and hash-joined in memory "
        "(docs/conflicts.md). The scheduler also runs it. Policy conflicts.check. Audited. 运行数据冲突检查。",
        ok(201, "The run.", "ConflictRun"), tag="conflicts")},
    "/api/v1/conflicts/runs": {"get": op(
        "listConflictRuns", "List conflict check runs", "The latest 20 runs. Policy conflicts.read. 冲突检查记录。",
        ok(200, "Runs, newest first.", "ConflictRunList"), tag="conflicts")},
    "/api/v1/conflicts/statistics": {"get": op(
        "conflictStatistics", "Conflicts per provider",
        "Per provider: cases negotiating, escalated, agreed and arbitrated (open = negotiating + escalated, resolved = agreed "
        "+ arbitrated), within the caller's view; supervision inputs (Art. 30). Policy conflicts.read. 数据冲突统计。",
        ok(200, "Per provider.", "ConflictStatistics"), tag="conflicts")},
    "/api/v1/conflicts": {"get": op(
        "listConflicts", "List conflict cases",
        "Cases the caller may see (its department's as a provider, its authority's), escalated first, then negotiating by "
        "due date, then settled. Policy conflicts.read. 数据冲突列表。",
        ok(200, "Cases.", "ConflictCaseList"), tag="conflicts",
        params=[query("status", {"type": "string", "enum": ["open"] + CONFLICT_STATUSES}, "Only cases in this status.")])},
    "/api/v1/conflicts/{id}": {"get": op(
        "getConflict", "Show a conflict case",
        "The case, its messages and the first 50 disagreeing records. A side's key and value are shown only to that side's "
        "provider and the arbitrating authority (an audited read, conflict.case.open_values); otherwise *_withheld is true. "
        "404 when the caller may not see the case. Policy conflicts.read. 数据冲突详情。",
        ok(200, "The case.", "ConflictCaseDetail"), tag="conflicts", not_found=True, params=[CONFLICT_ID])},
    "/api/v1/conflicts/{id}/messages": {"post": op(
        "postConflictMessage", "Post a negotiation message",
        "By a reviewer of either provider while the case is open; the other side is notified. Policy conflicts.negotiate. "
        "Audited. 协商留言。",
        ok(201, "The message.", "ConflictMessage"), tag="conflicts", not_found=True, conflict=True, validates=True,
        params=[CONFLICT_ID], body=json_body("ConflictMessageBody", "The message."))},
    "/api/v1/conflicts/{id}/propose": {"post": op(
        "proposeConflictSource", "Propose the authoritative source",
        "Either provider, while negotiating: which side is authoritative; the other side may agree. Policy "
        "conflicts.negotiate. Audited. 提议权威来源。",
        ok(200, "The case.", "ConflictCase"), tag="conflicts", not_found=True, conflict=True, validates=True,
        params=[CONFLICT_ID], body=json_body("ConflictProposalBody", "The side."))},
    "/api/v1/conflicts/{id}/agree": {"post": op(
        "agreeConflictSource", "Agree to the other side's proposal",
        "The case becomes agreed and the catalog records the source; 409 no_proposal without a proposal by the other side. "
        "Policy conflicts.negotiate. Audited. 确认权威来源。",
        ok(200, "The case.", "ConflictCase"), tag="conflicts", not_found=True, conflict=True, params=[CONFLICT_ID])},
    "/api/v1/conflicts/{id}/escalate": {"post": op(
        "escalateConflict", "Ask the authority to arbitrate",
        "A provider ends negotiation early (the scheduler escalates cases past their due date). Policy conflicts.negotiate. "
        "Audited. 提请裁定。",
        ok(200, "The case.", "ConflictCase"), tag="conflicts", not_found=True, conflict=True, validates=True,
        params=[CONFLICT_ID], body=json_body("ConflictEscalationBody", "Why."))},
    "/api/v1/conflicts/{id}/arbitrate": {"post": op(
        "arbitrateConflict", "Arbitrate an escalated conflict",
        "The data authority that declared the pair names the authoritative source with reasons; the catalog entries of both "
        "sides show it (authoritative_sources). 409 conflict_status unless escalated. Policy conflicts.arbitrate "
        "(authority_reviewer). Audited. 裁定权威来源。",
        ok(200, "The case.", "ConflictCase"), tag="conflicts", not_found=True, conflict=True, validates=True,
        params=[CONFLICT_ID], body=json_body("ConflictArbitrationBody", "The side and the reasons."))},
})

# Assessment (Art. 31): issue 17, part 4.
INDICATORS = ["catalog_completeness", "mounting_rate", "freshness", "quality_pass_rate", "reply_timeliness",
              "objection_handling", "sharing_degree", "usage_by_others"]
schemas.update({
    "Assessment": {
        "type": "object",
        "required": ["id", "period", "period_from", "period_to", "as_of", "scheme_version", "status", "computed_by",
                     "computed_at", "document_sm3", "node_id", "department_count"],
        "properties": {
            "id": string(), "period": string("2026, 2026-Q4 or 2026-11. 考核期。"),
            "period_from": string("First day (YYYY-MM-DD, China Standard Time)."), "period_to": string("Last day, included."),
            "as_of": string("The instant the records were read up to: the period's end, or the computation time for a "
                            "period not yet over. 数据截至。"),
            "scheme_version": string("assessment_scheme_version when computed."),
            "status": {"type": "string", "enum": ["draft", "published"]},
            "computed_by": string(), "computed_at": string(), "document_sm3": string("SM3 of the stored document."),
            "node_id": string(), "department_count": {"type": "integer"},
            "published_by": string(), "published_at": string(), "seal_id": string("The data authority's seal that signed it."),
            "content": {"type": "object", "description": "The document (format govshare-assessment/1): period, as_of, "
                        "scheme_version, weights, and departments — each with total, rank and indicators (" +
                        ", ".join(INDICATORS) + "), every indicator with weight, inputs, ratio and score (ratio and score "
                        "absent: not applicable). 考核内容。"},
            "signature": string("The SES_Signature (GB/T 38540), DER, base64 (published periods). 签章。"),
        },
    },
    "AssessmentList": {
        "type": "object", "required": ["assessments"],
        "properties": {"assessments": {"type": "array", "items": ref("Assessment")}},
    },
    "AssessmentVerification": {
        "type": "object", "required": ["assessment_id", "valid", "reasons", "document_sm3"],
        "properties": {"assessment_id": string(), "valid": {"type": "boolean"},
                       "reasons": {"type": "array", "items": {"type": "string"}}, "document_sm3": string()},
    },
    "AssessmentComputeRequest": {
        "type": "object",
        "properties": {"period": string("A year (2026), a quarter (2026-Q4) or a month (2026-11), already started. "
                                        "Required.", maxLength=7)},
    },
})
ASSESSMENT_ID = path_param("id", "The assessment's id. 考核结果编号。")
ASSESSMENT_LIST_DESC = ("Published periods, newest first (without their content), for anyone, signed in or not; drafts "
                        "too for assessment.read_drafts (authority_reviewer, platform_admin, security_auditor). 考核结果列表。")
paths.update({
    "/api/v1/public/assessments": {"get": op(
        "listPublicAssessments", "List published assessment periods", ASSESSMENT_LIST_DESC,
        ok(200, "The periods.", "AssessmentList"), tag="assessment", auth=False, forbidden=False, public=True)},
    "/api/v1/assessments": {
        "get": op("listAssessments", "List assessment periods", ASSESSMENT_LIST_DESC,
                  ok(200, "The periods.", "AssessmentList"), tag="assessment", auth=False, forbidden=False, public=True),
        "post": op(
            "computeAssessment", "Compute an assessment period (draft)",
            "Art. 31: computes every department's indicators for the period from the records as they are now and keeps "
            "them as the period's draft (replacing an earlier draft); 409 assessment_published when the period is "
            "published. Policy assessment.compute (authority_reviewer of the provincial data authority). Audited "
            "(assessment.compute). 计算考核结果。",
            ok(201, "The draft with its content.", "Assessment"), tag="assessment", validates=True, conflict=True,
            body=json_body("AssessmentComputeRequest", "The period.")),
    },
    "/api/v1/assessments/{id}": {"get": op(
        "getAssessment", "One assessment period",
        "With its content (and signature once published). Drafts only for assessment.read_drafts; to others 404. "
        "考核结果详情。", ok(200, "The period.", "Assessment"), tag="assessment", auth=False, forbidden=False, public=True,
        not_found=True, params=[ASSESSMENT_ID])},
    "/api/v1/assessments/{id}/document": {"get": op(
        "getAssessmentDocument", "An assessment period's stored document",
        "The stored JSON byte for byte: what the data authority's seal signed. Drafts as for getAssessment. 考核结果原文。",
        {"200": {"description": "The document.", "content": {"application/json": {"schema": {"type": "object"}}}}},
        tag="assessment", auth=False, forbidden=False, public=True, not_found=True, params=[ASSESSMENT_ID])},
    "/api/v1/assessments/{id}/scores.csv": {"get": op(
        "getAssessmentCSV", "An assessment period as CSV",
        "One row per department: period, as_of, scheme, rank, department_code, department, total and each indicator's "
        "score (empty: not applicable). UTF-8 with BOM. Drafts as for getAssessment. 考核结果 CSV。",
        {"200": {"description": "The CSV.", "content": {"text/csv": {"schema": {"type": "string"}}}}},
        tag="assessment", auth=False, forbidden=False, public=True, not_found=True, params=[ASSESSMENT_ID])},
    "/api/v1/assessments/{id}/verify": {"get": op(
        "verifyAssessment", "Verify an assessment period",
        "Checks a published period against its signature (SM3, SM2, the seal, the chain to the root) and its recorded "
        "digest; valid false with reasons when anything differs, and for a draft (not signed). 验证考核结果。",
        ok(200, "The verification.", "AssessmentVerification"), tag="assessment", auth=False, forbidden=False,
        public=True, not_found=True, params=[ASSESSMENT_ID])},
    "/api/v1/assessments/{id}/publish": {"post": op(
        "publishAssessment", "Publish an assessment draft",
        "Signs the draft's stored document with the data authority's seal and publishes it; from then on it is "
        "immutable and public. Policy assessment.publish (authority_reviewer of the provincial data authority, not the "
        "one who computed it: 403 own_computation). 409 when no longer a draft. Audited (assessment.publish, seal.sign). "
        "发布考核结果。", ok(200, "The published period.", "Assessment"), tag="assessment", not_found=True, conflict=True,
        params=[ASSESSMENT_ID])},
})

# Supervision (Art. 29–30): issue 17, parts 1, 3 and 5.
SUPERVISION_RULES = ["unmounted_entry", "stale_data", "catalog_obligation_overdue", "late_reply", "missing_basis",
                     "base_not_unconditional", "grant_outside_validity", "unusual_reads", "missing_elements", "inspection"]
ORDER_STATUSES = ["issued", "responded", "returned", "accepted"]
schemas.update({
    "SupervisionRun": {
        "type": "object",
        "required": ["id", "trigger", "started_by", "started_at", "finished_at", "found", "opened", "resolved", "milliseconds",
                     "by_rule"],
        "properties": {
            "id": string(), "trigger": {"type": "string", "enum": ["on_demand", "scheduled"]}, "started_by": string(),
            "started_at": string(), "finished_at": string(), "found": {"type": "integer"},
            "opened": {"type": "integer", "description": "New findings."},
            "resolved": {"type": "integer", "description": "Open findings no longer found."},
            "milliseconds": {"type": "integer"},
            "by_rule": {"type": "object", "additionalProperties": {"type": "integer"}, "description": "Findings per rule."},
        },
    },
    "SupervisionFinding": {
        "type": "object",
        "required": ["id", "rule", "rule_version", "article", "department_id", "object_type", "object_id", "object_label",
                     "evidence", "severity", "status", "run_id", "first_seen_at", "last_seen_at"],
        "properties": {
            "id": string(), "rule": {"type": "string", "enum": SUPERVISION_RULES}, "rule_version": {"type": "integer"},
            "article": string("The article the rule checks. 依据条款。"), "department_id": string(), "object_type": string(),
            "object_id": string(), "object_label": string(), "evidence": string("What was found, zh and en."),
            "severity": {"type": "string", "enum": SEVERITIES}, "status": {"type": "string", "enum": ["open", "resolved"]},
            "run_id": string(), "first_seen_at": string(), "last_seen_at": string(), "resolved_at": string(),
        },
    },
    "RectificationOrder": {
        "type": "object",
        "required": ["id", "finding_id", "rule", "department_id", "authority_id", "what", "basis", "issued_on", "due_on",
                     "status", "issued_by", "issued_at", "seal_id", "document_sm3", "working_days", "overdue"],
        "properties": {
            "id": string(), "finding_id": string(), "rule": {"type": "string", "enum": SUPERVISION_RULES},
            "department_id": string(), "authority_id": string(), "what": string(), "basis": string(),
            "issued_on": string(), "due_on": string("The due date on the official calendar."),
            "status": {"type": "string", "enum": ORDER_STATUSES}, "issued_by": string(), "issued_at": string(),
            "seal_id": string(), "document_sm3": string(), "working_days": {"type": "integer"},
            "overdue": {"type": "boolean", "description": "Past its due date and still the department's turn."},
            "response": string(), "responded_by": string(), "responded_at": string(), "decision_note": string(),
            "decided_by": string(), "decided_at": string(), "escalated_at": string(),
            "document": {"type": "object", "description": "The signed order (govshare-rectification-order/1); one order only."},
            "signature": string("The SES_Signature, DER, base64; one order only."),
            "signature_valid": {"type": "boolean", "description": "The signature checked now; one order only."},
        },
    },
    "SupervisionOverview": {
        "type": "object", "required": ["open_by_rule", "findings", "orders"],
        "properties": {
            "last_run": ref("SupervisionRun"),
            "open_by_rule": {"type": "object", "additionalProperties": {"type": "integer"}},
            "findings": {"type": "array", "items": ref("SupervisionFinding")},
            "orders": {"type": "array", "items": ref("RectificationOrder")},
        },
    },
    "RectificationOrderRequest": {
        "type": "object",
        "properties": {"finding_id": string("Required.", maxLength=64), "what": string("Required.", maxLength=2000),
                       "basis": string("Required.", maxLength=1000),
                       "working_days": {"type": "integer", "description": "1–60; default rectification_working_days (10)."}},
    },
    "RectificationResponseRequest": {
        "type": "object", "properties": {"response": string("What was done. Required.", maxLength=4000)}},
    "RectificationDecisionRequest": {
        "type": "object", "properties": {"note": string("Required to return.", maxLength=1000)}},
})
ORDER_ID = path_param("id", "The order's id. 整改通知编号。")
SUPERVISION_READ = ("Policy supervision.read: one's own department's; an authority's reviewers those of the departments "
                    "it oversees; platform_admin and security_auditor all. ")
paths.update({
    "/api/v1/supervision": {"get": op(
        "getSupervision", "Supervision overview",
        "The last run, open findings per rule, findings (newest first, at most 500; ?rule=, ?status=open|resolved) and "
        "orders to correct. " + SUPERVISION_READ + "督查概况。",
        ok(200, "The overview.", "SupervisionOverview"), tag="supervision", validates=True,
        params=[query("rule", {"type": "string", "enum": SUPERVISION_RULES}, "Only this rule."),
                query("status", {"type": "string", "enum": ["open", "resolved"]}, "Only findings in this state.")])},
    "/api/v1/supervision/checks": {"post": op(
        "runSupervisionChecks", "Run the supervision checks",
        "Art. 30: every rule over the records now; new findings opened, findings found again refreshed, open findings "
        "no longer found resolved. Policy supervision.check (authority_reviewer, platform_admin, operator). Audited. 立即检查。",
        ok(201, "The run.", "SupervisionRun"), tag="supervision")},
    "/api/v1/supervision/findings/{id}": {"get": op(
        "getSupervisionFinding", "One finding", SUPERVISION_READ + "督查发现。",
        ok(200, "The finding.", "SupervisionFinding"), tag="supervision", not_found=True,
        params=[path_param("id", "The finding's id.")])},
    "/api/v1/supervision/orders": {"post": op(
        "issueRectificationOrder", "Order a department to correct",
        "Art. 29: from a finding, by the authority overseeing its department (403 not_overseeing_authority); a due date "
        "working_days working days away on the official calendar; signed with the data authority's seal. Policy "
        "supervision.order (authority_reviewer). Audited (rectification.issue, seal.sign). 责令整改。",
        ok(201, "The order.", "RectificationOrder"), tag="supervision", validates=True, not_found=True,
        body=json_body("RectificationOrderRequest", "The finding and what to correct."))},
    "/api/v1/supervision/orders/{id}": {"get": op(
        "getRectificationOrder", "One order to correct",
        "With its signed document and the signature checked now. " + SUPERVISION_READ + "整改通知。",
        ok(200, "The order.", "RectificationOrder"), tag="supervision", not_found=True, params=[ORDER_ID])},
    "/api/v1/supervision/orders/{id}/respond": {"post": op(
        "respondRectificationOrder", "Respond to an order",
        "What the department did, while the order is issued or returned (409 order_status otherwise). Policy "
        "supervision.respond (department_reviewer of the ordered department). Audited. 报送整改情况。",
        ok(200, "The order.", "RectificationOrder"), tag="supervision", validates=True, not_found=True, conflict=True,
        params=[ORDER_ID], body=json_body("RectificationResponseRequest", "The response."))},
    "/api/v1/supervision/orders/{id}/accept": {"post": op(
        "acceptRectificationOrder", "Accept a response",
        "The order is done; its deadline met. Policy supervision.order (the issuing authority's reviewers). Audited. 审核通过。",
        ok(200, "The order.", "RectificationOrder"), tag="supervision", validates=True, not_found=True, conflict=True,
        params=[ORDER_ID], body=json_body("RectificationDecisionRequest", "An optional note."))},
    "/api/v1/supervision/orders/{id}/return": {"post": op(
        "returnRectificationOrder", "Return a response for more",
        "Back to the department with a note (required). Policy supervision.order (the issuing authority's reviewers). "
        "Audited. 退回整改。",
        ok(200, "The order.", "RectificationOrder"), tag="supervision", validates=True, not_found=True, conflict=True,
        params=[ORDER_ID], body=json_body("RectificationDecisionRequest", "The note."))},
})

# Random sampling (Art. 30): issue 17, part 2.
schemas.update({
    "SampledObject": {
        "type": "object", "required": ["id", "department_id", "label"],
        "properties": {"id": string(), "department_id": string(), "label": string()},
    },
    "SamplingInspection": {
        "type": "object", "required": ["object_id", "ok", "note", "inspector", "inspected_at"],
        "properties": {"object_id": string(), "ok": {"type": "boolean"}, "note": string(), "inspector": string(),
                       "inspected_at": string(), "finding_id": string("The finding a problem opened.")},
    },
    "SamplingPlan": {
        "type": "object",
        "required": ["id", "name", "population", "seed", "head_hash", "head_seq", "size", "created_by", "created_at"],
        "properties": {
            "id": string(), "name": string(), "population": {"type": "string", "enum": ["entries", "datasets", "grants", "departments"]},
            "department_id": string("Only this department's objects."), "size": {"type": "integer"},
            "head_seq": {"type": "integer", "description": "The audit chain's head when the plan was recorded."},
            "head_hash": string(), "seed": string("SM3(plan terms | head hash), hex: fixed before the draw. 种子。"),
            "created_by": string(), "created_at": string(), "drawn_at": string(),
            "population_count": {"type": "integer", "description": "One plan only."},
            "sample": {"type": "array", "items": ref("SampledObject"), "description": "In draw order; one plan only."},
            "inspections": {"type": "array", "items": ref("SamplingInspection"), "description": "One plan only."},
        },
    },
    "SamplingPlanList": {"type": "object", "required": ["plans"],
                         "properties": {"plans": {"type": "array", "items": ref("SamplingPlan")}}},
    "SamplingVerification": {
        "type": "object", "required": ["plan_id", "valid", "reasons"],
        "properties": {"plan_id": string(), "valid": {"type": "boolean"}, "reasons": {"type": "array", "items": {"type": "string"}}},
    },
    "SamplingPlanRequest": {
        "type": "object",
        "properties": {"name": string("Required.", maxLength=200),
                       "population": {"type": "string", "enum": ["entries", "datasets", "grants", "departments"]},
                       "department_code": string("Only this department (credit code).", maxLength=18),
                       "size": {"type": "integer", "description": "1–500. Required."}},
    },
    "SamplingInspectionRequest": {
        "type": "object",
        "properties": {"object_id": string("A sampled object. Required.", maxLength=64), "ok": {"type": "boolean"},
                       "note": string("Required for a problem.", maxLength=1000)},
    },
})
PLAN_ID = path_param("id", "The plan's id. 抽查计划编号。")
PLANS_READ = ("Policy supervision.samples.read (authority_reviewer, platform_admin, security_auditor): plans list other "
              "departments' objects. ")
paths.update({
    "/api/v1/supervision/samples": {
        "get": op("listSamplingPlans", "List sampling plans", PLANS_READ + "抽查计划。",
                  ok(200, "The plans.", "SamplingPlanList"), tag="supervision"),
        "post": op(
            "createSamplingPlan", "Record a sampling plan",
            "Art. 30 随机抽查: the seed is fixed now — SM3 of the plan's terms and the audit chain's head hash — before "
            "anything is drawn. Policy supervision.order (authority_reviewer). Audited (sampling.plan). 记录抽查计划。",
            ok(201, "The plan.", "SamplingPlan"), tag="supervision", validates=True,
            body=json_body("SamplingPlanRequest", "The plan.")),
    },
    "/api/v1/supervision/samples/{id}": {"get": op(
        "getSamplingPlan", "One sampling plan", "With its sample and inspections. " + PLANS_READ + "抽查计划。",
        ok(200, "The plan.", "SamplingPlan"), tag="supervision", not_found=True, params=[PLAN_ID])},
    "/api/v1/supervision/samples/{id}/draw": {"post": op(
        "drawSamplingPlan", "Draw a plan's sample",
        "Once (409 already_drawn): the population as it is now is frozen with the plan and the objects whose "
        "SM3(seed | id) are smallest are drawn. Policy supervision.order. Audited (sampling.draw). 抽取样本。",
        ok(200, "The plan with its sample.", "SamplingPlan"), tag="supervision", not_found=True, conflict=True,
        params=[PLAN_ID])},
    "/api/v1/supervision/samples/{id}/inspections": {"post": op(
        "inspectSampledObject", "Record an inspection",
        "An inspector's result on a sampled object; a problem (note required) opens a finding of the rule inspection "
        "against the object's department, an object in order resolves it. Policy supervision.order. Audited. 记录抽查结果。",
        ok(201, "The plan with its inspections.", "SamplingPlan"), tag="supervision", validates=True, not_found=True,
        params=[PLAN_ID], body=json_body("SamplingInspectionRequest", "The result."))},
    "/api/v1/supervision/samples/{id}/verify": {"get": op(
        "verifySamplingPlan", "Re-run a plan's draw",
        "The recorded head hash is the chain's entry at head_seq, the seed follows from the plan and it, and drawing "
        "the recorded population again gives the recorded sample; valid false with reasons otherwise. " + PLANS_READ
        + "核验抽查。", ok(200, "The verification.", "SamplingVerification"), tag="supervision", not_found=True,
        params=[PLAN_ID])},
})

doc = {
    "openapi": "3.1.0",
    "info": {
        "title": "GovShare API — 广东省政务数据共享平台",
        "version": "1.0.0",
        "description": (
            "The API of GovShare, the Guangdong provincial government data-sharing platform: the directory of regions "
            "and departments, accounts and API clients, the tamper-evident audit log, the official working-day "
            "calendar, the government data resource catalog, data sharing and exchange (mounted datasets, reporting rows by JSON or "
            "CSV, queries under a subscription or grant with masking, and the audited trace of every read), and a read-only CKAN "
            "Action API (`/api/3/action/...`, also `/api/action/...`) over the published catalog, with DataStore's "
            "`datastore_search` over mounted datasets.\n\n"
            "Sign in with `POST /api/v1/auth/token` and send `Authorization: Bearer <token>`. Every error is "
            "`application/problem+json` (RFC 7807) with a stable `code`, the `request_id` and field-level `errors`. "
            "Messages follow `Accept-Language` (zh or en).\n\n"
            "广东省政务数据共享平台接口：行政区划与部门目录、用户账号与接口客户端、防篡改审计日志、官方工作日历、政务数据资源目录、"
            "数据共享交换（数据集挂接、JSON 或 CSV 数据报送、按订阅或授权脱敏查询、每次读取可追溯），"
            "以及面向已发布目录的 CKAN 兼容只读接口（`/api/3/action/...`，亦可用 `/api/action/...`，含面向挂接数据集的 `datastore_search`）。"
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
        {"name": "exchange", "description": "Data sharing and exchange: mounted datasets, reporting, queries, subscriptions, grants "
                                            "and the read trace (Art. 15-22, 28). 数据共享交换。"},
        {"name": "sharing", "description": "Conditional-sharing applications (Art. 16, 19, 21): apply, joint review by the "
                                           "provider and its data authority within application_reply_working_days (default 10) "
                                           "working days by the official calendar, information requests that pause the clock, "
                                           "reminders and escalation, the department inbox, and grant suspension, renewal and "
                                           "usage. 共享申请。"},
        {"name": "legal-basis", "description": "What may be cited as a legal basis for a refusal or a conditional / not-shared "
                                               "catalog element (Art. 16, 18), and proposals the provincial data authority "
                                               "confirms. 法律法规依据。"},
        {"name": "seals", "description": "Electronic seals and signing keys issued by the provincial data authority (Art. 25), "
                                         "signing and verification per GB/T 38540 with SM2/SM3 (Art. 24). 电子印章与电子签章。"},
        {"name": "licences", "description": "E-licences (Art. 23): issued and sealed by the department responsible, looked "
                                            "up by holder under the catalog's access rules, verified offline. 电子证照。"},
        {"name": "security", "description": "Security operations (Art. 27): incidents with reporting deadlines per level, "
                                            "escalation, handling log and closure report; emergency plans (versioned) and "
                                            "drills with follow-ups and reminders. 安全事件、应急预案与演练。"},
        {"name": "risk", "description": "Risk reports (Art. 28): computed from the platform, signed by the data authority, "
                                        "scheduled and on demand; third parties' reports. 风险评估报告。"},
        {"name": "backups", "description": "Registered backups (Art. 26): encrypted, signed, restorable into an empty "
                                           "target with govshare restore. 数据备份。"},
        {"name": "nodes", "description": "The provincial node and city sub-nodes (Art. 15): the registry of peers and "
                                        "signed, sequenced messages between nodes. 节点管理。"},
        {"name": "archives", "description": "Archival packages (Art. 26) signed by the data authority and the audit log's "
                                            "retention cut into audit segments (Art. 28). 电子归档。"},
        {"name": "destruction", "description": "Destruction requests, approval by the data authority and records with the "
                                               "SM3 of what was destroyed (Art. 27). 数据销毁。"},
        {"name": "objections", "description": "Objections to shared data: the provider's answer and correction, the "
                                              "objector's dispute, the authority's ruling, on the calendar (Art. 13, 21). 数据异议。"},
        {"name": "conflicts", "description": "Conflicts between providers (Art. 13): fact pairs declared by the data "
                                             "authority, the check, negotiation with a due date in working days, "
                                             "arbitration and the authoritative source. 数据冲突。"},
        {"name": "assessment", "description": "Assessment (Art. 31): weighted indicators per department per period computed "
                                              "from the platform's records, reviewed, then published signed, immutable and "
                                              "public. 考核评估。"},
        {"name": "supervision", "description": "Supervision (Art. 29–30): rule checks over the platform's records with "
                                               "their findings, and orders to correct issued by the overseeing authority, "
                                               "answered, accepted or returned, escalated when overdue. 督查整改。"},
        {"name": "ckan", "description": "A read-only CKAN Action API over the published catalog, and datastore_search over mounted "
                                        "datasets. CKAN 兼容只读接口。"},
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
