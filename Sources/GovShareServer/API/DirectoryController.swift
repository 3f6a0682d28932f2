import GovShareCore
import Hummingbird

/// Regions and departments: `GET /api/v1/regions`, `GET|POST /api/v1/departments`, `GET /api/v1/departments/{code}`.
struct DirectoryController {
    let platform: Platform

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("regions", use: regions)
        group.get("departments", use: list)
        group.post("departments", use: create)
        group.get("departments/{code}", use: show)
    }

    @Sendable func regions(request: Request, context: AppRequestContext) async throws -> JSONResponse<ListDTO<RegionDTO>> {
        return JSONResponse(ListDTO(items: try await platform.directory.regions(by: try context.requirePrincipal()).map(RegionDTO.init)))
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> JSONResponse<ListDTO<DepartmentDTO>> {
        let actor = try context.require(.readDirectory)  // 403 before 422
        let query = request.uri.queryParameters
        var v = Validator()
        var filter = DepartmentFilter()
        if let level = query["level"].map(String.init) {
            filter.level = AdministrativeLevel(rawValue: level)
            if filter.level == nil {
                v.fail("level", "enum", zh: "level 必须是 province、city 或 county", en: "level must be province, city or county")
            }
        }
        if let kind = query["kind"].map(String.init) {
            filter.kind = DepartmentKind(rawValue: kind)
            if filter.kind == nil {
                v.fail(
                    "kind", "enum", zh: "kind 必须是 data_authority、government、operations_centre 或 third_party",
                    en: "kind must be data_authority, government, operations_centre or third_party")
            }
        }
        filter.regionCode = query["region_code"].map(String.init)
        try v.check()
        return JSONResponse(ListDTO(items: try await platform.directory.departments(filter, by: actor).map(DepartmentDTO.init)))
    }

    @Sendable func show(request: Request, context: AppRequestContext) async throws -> JSONResponse<DepartmentDTO> {
        let code = try context.parameters.require("code")
        guard let department = try await platform.directory.department(code: code, by: try context.requirePrincipal()) else {
            throw DomainError.notFound("Department", zh: "部门")
        }
        return JSONResponse(DepartmentDTO(department))
    }

    @Sendable func create(request: Request, context: AppRequestContext) async throws -> JSONResponse<DepartmentDTO> {
        let actor = try context.require(.manageOrganisations)
        let input = try await JSONBody.decode(NewDepartment.self, from: request, context: context)
        let department = try await platform.directory.createDepartment(input, by: actor, origin: context.origin)
        return JSONResponse(DepartmentDTO(department), status: .created)
    }
}
