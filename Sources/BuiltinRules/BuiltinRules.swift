/// The rule files shipped inside the binary, keyed by their path under `rules/` (for example
/// `"classify.toml"`). The `files` table itself is generated at build time by the EmbedRules plugin.
public enum BuiltinRules {
  /// The text of one built-in rule file, or nil when no such file ships.
  public static func text(_ name: String) -> String? { files[name] }
}
