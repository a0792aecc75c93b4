/// The pipeline's stages, in order. Each persists its output under the staging area, so any
/// of them can be rerun alone from its predecessor's output.
public enum Stage: String, Sendable, CaseIterable, Comparable, Codable {
    /// Reads each submission and stages its mapped fields (identifiers already tokenised).
    case extract
    /// Maps staged records onto the taxonomy and stages rows and quarantine.
    case normalize
    /// Merges duplicates and publishes the dataset atomically.
    case load
    /// Writes the annual "Figures and trends" report from the published dataset.
    case report

    public static func < (lhs: Stage, rhs: Stage) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// The stages from `first` to `last`, inclusive.
    public static func range(from first: Stage?, to last: Stage?) -> [Stage] {
        allCases.filter { ($0 >= (first ?? .extract)) && ($0 <= (last ?? .report)) }
    }
}
