/// A Go module version: SemVer with a `v` (`v1.2.3`), ordered as `golang.org/x/mod/semver` orders
/// them. A pseudo-version (`v0.0.0-20210101000000-abcdef123456`, `v1.2.4-0.2021…-abc`,
/// `v1.2.3-pre.0.2021…-abc`) is a pre-release whose identifiers make it sort by commit time after its
/// base and before the next release; `+incompatible` is build metadata and does not change the order.
public struct GoVersion: EcosystemVersion, CustomStringConvertible {
  public let semver: SemanticVersion

  /// With or without the `v` (OSV's Go ranges are written without it); `v1` and `v1.2` are shorthands.
  public init?(_ text: String) {
    guard let v = SemanticVersion(text, shorthand: true) else { return nil }
    semver = v
  }

  public var description: String { "v" + semver.description }

  public var isIncompatible: Bool { semver.build == "incompatible" }

  /// The commit time (`yyyymmddhhmmss`) when this is a pseudo-version.
  public var pseudoVersionTime: Substring? {
    // The time is the second-to-last dash- or dot-separated part of the pre-release, 14 digits, followed
    // by a 12-hex-digit commit.
    guard let last = semver.prerelease.last else { return nil }
    let parts = last.split(separator: "-")
    guard parts.count >= 2, let commit = parts.last, commit.count == 12,
          commit.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }) else { return nil }
    let time = parts[parts.count - 2]
    return time.count == 14 && Order.isDigits(time) ? time : nil
  }

  public static func < (a: GoVersion, b: GoVersion) -> Bool { a.semver < b.semver }
  public static func == (a: GoVersion, b: GoVersion) -> Bool { a.semver == b.semver }
}
