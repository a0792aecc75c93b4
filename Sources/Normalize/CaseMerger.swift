/// Folds duplicate case rows of one member and year: the same case and child seen again replaces
/// the earlier row (the later record wins), and the earlier one is counted as merged.
public struct CaseMerger: Sendable {
    private struct Key: Hashable {
        var member: String
        var caseKey: String
        var childKey: String
    }

    /// Rows in first-seen order; nil where a later duplicate replaced the row.
    private var slots: [CaseRow?] = []
    private var slotByKey: [Key: Int] = [:]

    public init() {}

    /// Adds a row; returns the row it replaced, if any.
    @discardableResult
    public mutating func add(_ row: CaseRow) -> CaseRow? {
        let key = Key(member: row.memberID, caseKey: row.caseKey, childKey: row.childKey)
        var replaced: CaseRow?
        if let slot = slotByKey[key] {
            replaced = slots[slot]
            slots[slot] = nil
        }
        slotByKey[key] = slots.count
        slots.append(row)
        return replaced
    }

    /// The surviving rows, in the order their winning records were read.
    public var rows: [CaseRow] { slots.compactMap { $0 } }
}
