// swift-tools-version:6.0
import PackageDescription

let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

let package = Package(
  name: "salvage",
  platforms: [.macOS(.v15)],  // Synchronization (Mutex, Atomic) needs macOS 15
  products: [
    .executable(name: "salvage", targets: ["salvage"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
  ],
  targets: [
    // C libraries from the system (Debian: libgit2-dev, libpcre2-dev, libdeflate-dev; Homebrew: libgit2,
    // pcre2, libdeflate), found through their pkg-config files.
    .systemLibrary(name: "CLibGit2", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"]), .brew(["libgit2"])]),
    .systemLibrary(name: "CPCRE2", pkgConfig: "libpcre2-8", providers: [.apt(["libpcre2-dev"]), .brew(["pcre2"])]),
    .systemLibrary(name: "CDeflate", pkgConfig: "libdeflate", providers: [.apt(["libdeflate-dev"]), .brew(["libdeflate"])]),

    // The only module that touches libgit2 (and, with Advisories for zip archives, libdeflate: the pack reader).
    .target(name: "Git", dependencies: ["CLibGit2", "CDeflate"], swiftSettings: strict),
    // The one glob engine (linear time; case and anchoring are options each caller names), for rules,
    // configuration and options.
    .target(name: "GlobEngine", swiftSettings: strict),
    // A small TOML reader with line numbers in its errors (rules, .salvage.toml, manifests).
    .target(name: "TOML", swiftSettings: strict),
    // Keyword prefilter and PCRE2-JIT matching for the secrets rules.
    .target(name: "Matcher", dependencies: ["CPCRE2", "TOML", "GlobEngine"], swiftSettings: strict),
    // The files of rules/, compiled into the binary by the EmbedRules plugin.
    .target(name: "BuiltinRules", swiftSettings: strict, plugins: ["EmbedRules"]),
    .plugin(name: "EmbedRules", capability: .buildTool()),

    .target(name: "SalvageCore", dependencies: ["Git", "TOML", "BuiltinRules", "GlobEngine"], swiftSettings: strict),
    .target(name: "Analyzers", dependencies: ["SalvageCore", "Matcher", "TOML", "Advisories", "GlobEngine"], swiftSettings: strict),
    // The report reads the analyzers' typed outputs.
    .target(name: "Report", dependencies: ["SalvageCore", "Analyzers", "TOML"], swiftSettings: strict),
    // OSV advisories: the versions orderings of each ecosystem, the records, the index and the matching.
    .target(name: "Advisories", dependencies: ["CDeflate"], swiftSettings: strict),
    // Times loading, indexing and matching of synthetic advisories (not a test): `swift run -c release advisories-bench`.
    .executableTarget(name: "advisories-bench", dependencies: ["Advisories"], path: "benchmarks/advisories-bench", swiftSettings: strict),
    .executableTarget(
      name: "salvage",
      dependencies: [
        "SalvageCore", "Analyzers", "Report", "Git", "Matcher", "GlobEngine",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: strict
    ),

    // GitTests may use libgit2 directly: it is the oracle our own commit parser is checked against.
    .testTarget(name: "GitTests", dependencies: ["Git", "CLibGit2", "FixtureSupport"]),
    .testTarget(name: "TOMLTests", dependencies: ["TOML"]),
    .testTarget(name: "GlobEngineTests", dependencies: ["GlobEngine", "FixtureSupport"]),
    .testTarget(name: "AdvisoriesTests", dependencies: ["Advisories"]),
    .testTarget(name: "MatcherTests", dependencies: ["Matcher", "TOML", "BuiltinRules", "GlobEngine"]),
    .testTarget(name: "SalvageCoreTests", dependencies: ["SalvageCore", "Analyzers", "FixtureSupport", "GlobEngine"]),
    .testTarget(name: "AnalyzersTests", dependencies: ["Analyzers", "SalvageCore", "FixtureSupport", "GlobEngine"]),
    .testTarget(name: "EndToEndTests", dependencies: ["FixtureSupport", "salvage"]),
    // Mutation fuzzing of the parsers of repository bytes (scripts/fuzz.sh runs it for longer).
    .testTarget(name: "FuzzTests", dependencies: ["Analyzers", "Git", "SalvageCore", "TOML", "FixtureSupport"], exclude: ["Crashes"]),
    .testTarget(name: "ReportTests", dependencies: ["Report", "SalvageCore", "Analyzers", "FixtureSupport"], exclude: ["Goldens"]),
    // Builds fixture repositories from the text in fixtures/ into temporary folders.
    .target(name: "FixtureSupport", path: "Tests/FixtureSupport"),
  ]
)
