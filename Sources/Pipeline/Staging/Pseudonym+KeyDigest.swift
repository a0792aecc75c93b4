import DatasetContract
import Normalize

extension Pseudonym {
    /// The pseudonym's `KeyDigest`, from its bytes: the same as `KeyDigest(utf8:)` of its 64 hex
    /// digits, without spelling them out. The one place staging and the load turn a key into the
    /// digest that the duplicate check and the report's counters use.
    var keyDigest: KeyDigest {
        withBytes { KeyDigest(packedKey: $0.baseAddress!) }
    }
}
