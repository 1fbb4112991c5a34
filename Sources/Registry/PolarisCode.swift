/// The Polaris response codes the registry sends and understands, with the server's info texts.
public enum PolarisCode {
    public static let executeSuccess: UInt32 = 200000
    public static let dataNoChange: UInt32 = 200001
    public static let badRequest: UInt32 = 400000
    public static let parseException: UInt32 = 400001
    public static let invalidDiscoverResource: UInt32 = 400004
    public static let invalidNamespaceName: UInt32 = 400110
    public static let invalidServiceName: UInt32 = 400120
    public static let invalidInstanceID: UInt32 = 400130
    public static let invalidInstanceHost: UInt32 = 400131
    public static let invalidInstancePort: UInt32 = 400132
    public static let invalidMetadata: UInt32 = 400150
    public static let existedResource: UInt32 = 400201
    public static let notFoundResource: UInt32 = 400202
    public static let unauthorized: UInt32 = 401000
    public static let storeLayerException: UInt32 = 500001

    /// The info text a Polaris server sends with `code`.
    public static func info(_ code: UInt32) -> String {
        switch code {
        case executeSuccess: "execute success"
        case dataNoChange: "discover data is no change"
        case badRequest: "bad request"
        case parseException: "request decode failed"
        case invalidDiscoverResource: "invalid discover resource"
        case invalidNamespaceName: "invalid namespace name"
        case invalidServiceName: "invalid service name"
        case invalidInstanceID: "invalid instance id"
        case invalidInstanceHost: "invalid instance host"
        case invalidInstancePort: "invalid instance port"
        case invalidMetadata: "invalid instance metadata"
        case existedResource: "existed resource"
        case notFoundResource: "not found resource"
        case unauthorized: "unauthorized"
        case storeLayerException: "store layer exception"
        default: "code \(code)"
        }
    }

    /// Whether a register answer means "registered" (older servers answer 400201 to a duplicate).
    public static func isRegistered(_ code: UInt32) -> Bool { code == executeSuccess || code == existedResource }

    /// Whether a deregister answer means "gone".
    public static func isGone(_ code: UInt32) -> Bool { code == executeSuccess || code == notFoundResource }
}
