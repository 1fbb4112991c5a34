# Sourced by the scripts that build in release mode, so they share one build folder
# without rebuilding each other's work: dependencies are compiled without run-time
# exclusivity checks, as the project's own targets are (Package.swift).
release_flags=(-c release -Xswiftc -enforce-exclusivity=unchecked)
