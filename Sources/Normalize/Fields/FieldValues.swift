/// The values read from one record, one slot per canonical field: the normaliser's per-record
/// scratch space, indexed without hashing, held inline (on the stack) rather than in an array
/// allocated and freed for every record.
struct FieldValues {
    private var slots = InlineArray<22, FieldValue?>(repeating: nil)

    subscript(field: CanonicalField) -> FieldValue? {
        get { slots[Self.slot(field)] }
        set { slots[Self.slot(field)] = newValue }
    }

    @inline(__always)
    private static func slot(_ field: CanonicalField) -> Int {
        switch field {
        case .caseID: 0
        case .childID: 1
        case .openedOn: 2
        case .closedOn: 3
        case .category: 4
        case .crossBorder: 5
        case .repeatMissing: 6
        case .violenceExperienced: 7
        case .destinationCountry: 8
        case .childAge: 9
        case .birthDate: 10
        case .childGender: 11
        case .outcome: 12
        case .foundBy: 13
        case .daysMissing: 14
        case .missingSince: 15
        case .foundOn: 16
        case .firstChannel: 17
        case .month: 18
        case .channel: 19
        case .contactType: 20
        case .count: 21
        }
    }
}
