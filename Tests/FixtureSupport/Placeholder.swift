public enum FixtureSupportPlaceholder {}
