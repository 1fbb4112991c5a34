// The methods of every service declared in Protos/. Keep in step with the
// `service` blocks there; the request and response types are named in each
// doc comment.

extension WireMethod {
    /// `grpc.reflection.v1.ServerReflection`.
    public enum ReflectionV1 {
        /// The fully-qualified service name.
        public static let service = "grpc.reflection.v1.ServerReflection"

        /// Stream of ``Grpc_Reflection_V1_ServerReflectionRequest`` →
        /// stream of ``Grpc_Reflection_V1_ServerReflectionResponse``.
        public static let serverReflectionInfo = WireMethod(
            service: service, name: "ServerReflectionInfo", kind: .bidirectionalStreaming)
    }

    /// `grpc.reflection.v1alpha.ServerReflection`, the older name of the same
    /// protocol.
    public enum ReflectionV1Alpha {
        /// The fully-qualified service name.
        public static let service = "grpc.reflection.v1alpha.ServerReflection"

        /// Stream of ``Grpc_Reflection_V1alpha_ServerReflectionRequest`` →
        /// stream of ``Grpc_Reflection_V1alpha_ServerReflectionResponse``.
        public static let serverReflectionInfo = WireMethod(
            service: service, name: "ServerReflectionInfo", kind: .bidirectionalStreaming)
    }

    /// `grpc.health.v1.Health`.
    public enum Health {
        /// The fully-qualified service name.
        public static let service = "grpc.health.v1.Health"

        /// ``Grpc_Health_V1_HealthCheckRequest`` → ``Grpc_Health_V1_HealthCheckResponse``.
        public static let check = WireMethod(service: service, name: "Check", kind: .unary)

        /// ``Grpc_Health_V1_HealthCheckRequest`` → stream of
        /// ``Grpc_Health_V1_HealthCheckResponse``.
        public static let watch = WireMethod(service: service, name: "Watch", kind: .serverStreaming)

        /// ``Grpc_Health_V1_HealthListRequest`` → ``Grpc_Health_V1_HealthListResponse``.
        public static let list = WireMethod(service: service, name: "List", kind: .unary)
    }

    /// `v1.PolarisGRPC`, the PolarisMesh naming API.
    public enum PolarisNaming {
        /// The fully-qualified service name.
        public static let service = "v1.PolarisGRPC"

        /// ``V1_Client`` → ``V1_Response``.
        public static let reportClient = WireMethod(service: service, name: "ReportClient", kind: .unary)

        /// ``V1_Instance`` → ``V1_Response``.
        public static let registerInstance = WireMethod(service: service, name: "RegisterInstance", kind: .unary)

        /// ``V1_Instance`` → ``V1_Response``.
        public static let deregisterInstance = WireMethod(
            service: service, name: "DeregisterInstance", kind: .unary)

        /// ``V1_Instance`` → ``V1_Response``.
        public static let heartbeat = WireMethod(service: service, name: "Heartbeat", kind: .unary)

        /// Stream of ``V1_DiscoverRequest`` → stream of ``V1_DiscoverResponse``.
        public static let discover = WireMethod(service: service, name: "Discover", kind: .bidirectionalStreaming)
    }

    /// `v1.PolarisHeartbeatGRPC`, PolarisMesh batch heartbeats.
    public enum PolarisHeartbeat {
        /// The fully-qualified service name.
        public static let service = "v1.PolarisHeartbeatGRPC"

        /// Stream of ``V1_HeartbeatsRequest`` → stream of ``V1_HeartbeatsResponse``.
        public static let batchHeartbeat = WireMethod(
            service: service, name: "BatchHeartbeat", kind: .bidirectionalStreaming)

        /// ``V1_GetHeartbeatsRequest`` → ``V1_GetHeartbeatsResponse``.
        public static let batchGetHeartbeat = WireMethod(service: service, name: "BatchGetHeartbeat", kind: .unary)

        /// ``V1_DelHeartbeatsRequest`` → ``V1_DelHeartbeatsResponse``.
        public static let batchDelHeartbeat = WireMethod(service: service, name: "BatchDelHeartbeat", kind: .unary)
    }

    /// `polarisctl.mock.v1.Admin`, the admin API of `polarisctl serve`.
    public enum MockAdmin {
        /// The fully-qualified service name.
        public static let service = "polarisctl.mock.v1.Admin"

        /// ``Polarisctl_Mock_V1_AddStubsRequest`` → ``Polarisctl_Mock_V1_AddStubsResponse``.
        public static let addStubs = WireMethod(service: service, name: "AddStubs", kind: .unary)

        /// ``Polarisctl_Mock_V1_RemoveStubsRequest`` → ``Polarisctl_Mock_V1_RemoveStubsResponse``.
        public static let removeStubs = WireMethod(service: service, name: "RemoveStubs", kind: .unary)

        /// ``Polarisctl_Mock_V1_ListStubsRequest`` → ``Polarisctl_Mock_V1_ListStubsResponse``.
        public static let listStubs = WireMethod(service: service, name: "ListStubs", kind: .unary)

        /// ``Polarisctl_Mock_V1_ReadJournalRequest`` → ``Polarisctl_Mock_V1_ReadJournalResponse``.
        public static let readJournal = WireMethod(service: service, name: "ReadJournal", kind: .unary)

        /// ``Polarisctl_Mock_V1_ClearJournalRequest`` → ``Polarisctl_Mock_V1_ClearJournalResponse``.
        public static let clearJournal = WireMethod(service: service, name: "ClearJournal", kind: .unary)

        /// ``Polarisctl_Mock_V1_SetHealthRequest`` → ``Polarisctl_Mock_V1_SetHealthResponse``.
        public static let setHealth = WireMethod(service: service, name: "SetHealth", kind: .unary)
    }

    /// Every method above, grouped by service in declaration order.
    public static let all: [WireMethod] = [
        ReflectionV1.serverReflectionInfo,
        ReflectionV1Alpha.serverReflectionInfo,
        Health.check, Health.watch, Health.list,
        PolarisNaming.reportClient, PolarisNaming.registerInstance, PolarisNaming.deregisterInstance,
        PolarisNaming.heartbeat, PolarisNaming.discover,
        PolarisHeartbeat.batchHeartbeat, PolarisHeartbeat.batchGetHeartbeat, PolarisHeartbeat.batchDelHeartbeat,
        MockAdmin.addStubs, MockAdmin.removeStubs, MockAdmin.listStubs,
        MockAdmin.readJournal, MockAdmin.clearJournal, MockAdmin.setHealth,
    ]
}
