import ArgumentParser
import Bench
import Certs
import Mock
import Reflection
import Registry
import RPC
import Schema

/// A user-facing error raised by the CLI layer itself (bad input file, output
/// file exists, …), with the exit status it maps to.
struct CLIError: Error, CustomStringConvertible {
    var status: ExitStatus
    var message: String
    var description: String { message }

    static func input(_ message: String) -> CLIError { CLIError(status: .input, message: message) }
    static func file(_ message: String) -> CLIError { CLIError(status: .file, message: message) }
    static func usage(_ message: String) -> CLIError { CLIError(status: .usage, message: message) }
}

/// Maps every error to its message and exit status. The only place where
/// errors become exit codes.
enum ErrorReport {
    struct Outcome {
        var status: ExitStatus
        var text: String?
    }

    static func classify(_ error: any Error) -> Outcome {
        switch error {
        case let error as SchemaError:
            var message = error.message
            if error.code == .invalidJSON && message.hasSuffix(": unknown field") {
                message += " (--allow-unknown-fields skips unknown fields)"
            }
            return Outcome(status: status(for: error.code), text: "polarisctl: " + message)
        case let failure as RPCStatusFailure:
            return Outcome(
                status: .grpcStatus(failure.status.code.rawValue),
                text: "polarisctl: " + StatusText.human(failure.status))
        case let error as RPCError:
            return Outcome(status: status(for: error.code), text: "polarisctl: " + error.message)
        case let error as ReflectionError:
            let status: ExitStatus = error.code == .unsupported || error.code == .notFound ? .schema : .failure
            return Outcome(status: status, text: "polarisctl: " + error.message)
        case let error as CertsError:
            return Outcome(status: status(for: error.code), text: "polarisctl: " + error.message)
        case let error as MockError:
            return Outcome(status: .input, text: "polarisctl: " + error.message)
        case let error as RegistryError:
            return Outcome(status: status(for: error.code), text: "polarisctl: " + error.message)
        case let error as BenchError:
            return Outcome(status: status(for: error.code), text: "polarisctl: " + error.message)
        case let error as CLIError:
            return Outcome(status: error.status, text: "polarisctl: " + error.message)
        case let error as ExitCode:
            return Outcome(status: ExitStatus(rawValue: error.rawValue), text: nil)
        default:
            // Errors from the argument parser: help and version requests are
            // clean exits; everything else is a usage error (exit 2, never
            // EX_USAGE 64, which belongs to gRPC status 0 + 64).
            let code = Polarisctl.exitCode(for: error)
            let text = Polarisctl.fullMessage(for: error)
            if code == .success { return Outcome(status: .success, text: text) }
            if code == .validationFailure || isParserError(error) {
                return Outcome(status: .usage, text: text)
            }
            return Outcome(status: .failure, text: "polarisctl: \(error)")
        }
    }

    static func status(for code: SchemaError.Code) -> ExitStatus {
        switch code {
        case .invalidJSON, .invalidBinary: return .input
        case .internalError: return .failure
        default: return .schema
        }
    }

    static func status(for code: RPCError.Code) -> ExitStatus {
        switch code {
        case .dnsFailure: return .dns
        case .connectionRefused, .unreachable, .connectionClosed, .keepaliveTimeout, .protocolError: return .connect
        case .connectTimeout: return .timeout
        case .tlsConfiguration, .tlsHandshakeFailed, .tlsRequiredByServer: return .tls
        case .invalidAddress, .invalidArgument: return .usage
        case .bindFailed: return .listen
        default: return .failure
        }
    }

    /// Certificate errors: bad input 4, files 9, a chain that does not verify 7 (TLS).
    static func status(for code: CertsError.Code) -> ExitStatus {
        switch code {
        case .fileExists, .notWritable: return .file
        case .verificationFailed: return .tls
        case .internalError: return .failure
        default: return .input
        }
    }

    /// Registry errors: unreachable 5, a rejected or non-Polaris answer 11, store problems 9.
    static func status(for code: RegistryError.Code) -> ExitStatus {
        switch code {
        case .unreachable: return .connect
        case .invalidArgument: return .usage
        case .rejected, .protocolError: return .registry
        default: return .file
        }
    }

    /// Bench errors: a bad template is bad input (4), a method bench cannot drive is a
    /// schema problem (3), bad flags or schedules are usage errors (2).
    static func status(for code: BenchError.Code) -> ExitStatus {
        switch code {
        case .invalidTemplate, .invalidRequest: return .input
        case .unsupportedMethod: return .schema
        default: return .usage
        }
    }

    private static func isParserError(_ error: any Error) -> Bool {
        error is ValidationError || String(reflecting: type(of: error)).contains("ArgumentParser")
    }
}
