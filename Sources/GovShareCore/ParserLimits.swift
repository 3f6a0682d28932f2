import Foundation

/// The largest inputs the platform reads, in one place (docs/security.md lists them). Every parser stops at these with
/// a DomainError naming the field and the rule instead of trapping or allocating without bound: no request of any
/// caller, signed in or not, may end or exhaust the process. The numbers are well above what the platform's own
/// files need (the 1,000,000-row benchmark import, Excel's own sheet limits) and far below what would fill memory.
public enum ParserLimits {
    // MARK: Request bodies (read only after the caller is known, and for uploads authorised)

    /// Any body a caller who has not signed in can make the server read (sign-in, CKAN's POST actions, the portal's
    /// sign-in form): what an anonymous request can cost is small and fixed.
    public static let anonymousBodyBytes = 64 << 10
    /// An ordinary JSON request body of a signed-in caller (forms, queries, reviews).
    public static let jsonBodyBytes = 1 << 20
    /// Rows reported as JSON (`POST /datasets/{code}/rows`), read after the reporting permission is checked.
    public static let rowsBodyBytes = 8 << 20
    /// Catalog spreadsheets and calendar files.
    public static let uploadBytes = 8 << 20
    /// A dataset import file (CSV or XLSX), read after the reporting permission is checked.
    public static let datasetImportBytes = 256 << 20
    /// A file of a file resource (electronic file or image), read after the upload permission is checked.
    public static let resourceFileBytes = 64 << 20
    /// Nesting of arrays and objects in a JSON body; no request of the API needs more than a few levels.
    public static let jsonDepth = 32

    // MARK: CSV

    /// Fields in one CSV record (Excel's column limit).
    public static let csvFieldsPerRecord = 16_384
    /// Fields in one CSV file: twice the 1,000,000-row × 9-item benchmark import.
    public static let csvFields = 20_000_000
    /// Rows of a catalog spreadsheet (one row per data item); every resource in it is checked against the database.
    public static let catalogSheetRows = 50_000

    // MARK: XLSX (Office Open XML)

    /// Excel's own sheet size: columns A…XFD, rows 1…1,048,576.
    public static let xlsxColumns = 16_384
    public static let xlsxRows = 1_048_576
    /// Cells of the sheet once the blank cells left of each value are filled in: the 1,000,000-row × 9-item import
    /// fits, and a sheet of a few hundred values at column XFD cannot become hundreds of megabytes of empty cells.
    public static let xlsxCells = 10_000_000
    /// Text of all cells together (UTF-8 bytes): one long shared string referenced by every cell would otherwise
    /// become gigabytes when the sheet is turned into text.
    public static let xlsxTextBytes = 256 << 20
    /// Shared strings: how many, and their text together (UTF-8 bytes).
    public static let xlsxSharedStrings = 2_000_000
    public static let xlsxSharedStringBytes = 128 << 20
    /// Cell styles (Excel allows about 64,000).
    public static let xlsxStyles = 65_536
    /// `<sheet>` and `<Relationship>` elements read from the workbook's index parts.
    public static let xlsxIndexElements = 10_000
    /// Decompressed bytes of all parts read together (a small ZIP can expand a thousandfold).
    public static let xlsxDecompressedBytes = 256 << 20

    // MARK: multipart/form-data (the portal's upload forms)

    public static let multipartParts = 32
    /// RFC 2046: a boundary is 1 to 70 characters.
    public static let multipartBoundary = 70
    public static let multipartHeaderBytes = 8 << 10

    /// The refusal when an input passes one of these limits.
    public static func exceeded(field: String, rule: String, zh: String, en: String) -> DomainError {
        DomainError.invalid(field: field, rule: rule, zh: zh, en: en)
    }
}
