import ArgumentParser
import Foundation

extension Polarisctl {
    /// `polarisctl cache`: the reflection cache.
    struct Cache: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cache",
            abstract: "Show or clear the cache of schemas fetched by server reflection.",
            discussion: """
                call, stream and describe keep the schema a server sends by reflection, per address, and \
                reuse it while the server lists the same services, saving reflection round trips. \
                --no-cache on those commands bypasses it.
                """,
            subcommands: [Path.self, Clear.self])

        struct Path: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Print the cache folder.")
            func run() throws { print(DescriptorCache.directory) }
        }

        struct Clear: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Remove every cached schema.")
            func run() throws {
                let removed = try DescriptorCache.clear()
                print("removed \(removed) cached schema\(removed == 1 ? "" : "s") from \(DescriptorCache.directory)")
            }
        }
    }
}
