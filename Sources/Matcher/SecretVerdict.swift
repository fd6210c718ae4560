/// What the matcher concluded about a secret beyond "a rule matched": a well-known public value, or
/// the outcome of the structural check its format carries (`check` in the rule). A function of the
/// rule and the secret alone, so every sighting of one secret under one rule has the same verdict.
/// Never a network call: these checks read the bytes only.
public struct SecretVerdict: Sendable, Hashable {
  public enum Kind: UInt8, Sendable {
    /// No check applies (or the rule has none).
    case unchecked = 0
    /// A value published by its vendor (an emulator's key, a documentation example): `detail` is its
    /// index in `FalseAlarmFilters.publicValues`.
    case publicValue = 1
    /// The format's own check failed: a made-up or truncated value. `detail` is a `Failure`.
    case placeholder = 2
    /// The format's own check passed. For a JWT, `detail` is its `exp` (seconds since 1970), 0 when
    /// it has none: whether it has expired is for the report, which knows the scan's "now".
    case valid = 3
  }

  /// Why a check failed.
  public enum Failure: Int64, Sendable, CaseIterable {
    case checksum = 1
    case pemBody = 2
    case jwtUnsigned = 3
    case jwtMalformed = 4
    case macaroon = 5

    public var reason: String {
      switch self {
      case .checksum: return "its built-in CRC32 checksum does not match"
      case .pemBody: return "its body is not a DER-encoded key (truncated or made up)"
      case .jwtUnsigned: return "it is unsigned (alg: none)"
      case .jwtMalformed: return "its header or payload is not JSON"
      case .macaroon: return "it is not a PyPI macaroon"
      }
    }
  }

  public var kind: Kind
  public var detail: Int64

  public init(kind: Kind, detail: Int64 = 0) {
    self.kind = kind
    self.detail = detail
  }

  public static let unchecked = SecretVerdict(kind: .unchecked)
  static func failed(_ failure: Failure) -> SecretVerdict { SecretVerdict(kind: .placeholder, detail: failure.rawValue) }

  public var failure: Failure? { kind == .placeholder ? Failure(rawValue: detail) : nil }
}

/// A value its vendor publishes, so anyone may know it (`publicValues` in the filters): one exact value,
/// or a format whose every value is public by design (`pattern`, over the whole secret: a client-side
/// key such as PostHog's `phc_` project keys, which every page that loads the library shows).
public struct PublicValue: Sendable {
  public let name: String
  /// Empty when `pattern` is given.
  public let value: [UInt8]
  public let pattern: String?

  public init(name: String, value: [UInt8], pattern: String? = nil) {
    self.name = name
    self.value = value
    self.pattern = pattern
  }
}
