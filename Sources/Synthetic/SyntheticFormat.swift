/// The submission formats the generator writes, as member hotlines send them.
public enum SyntheticFormat: String, CaseIterable, Sendable {
    /// Namespaced XML, UTF-8 (French vocabulary, like Child Focus).
    case xml
    /// The same XML, gzipped (French vocabulary, Luxembourg).
    case xmlGzip = "xml.gz"
    /// Gzipped CSV, Windows-1252, semicolons, dd.MM.yyyy (German vocabulary).
    case csvGzip = "csv.gz"
    /// CSV saved as "Unicode text": UTF-16 LE with a byte order mark, tabs, dd/MM/yyyy (French).
    case csvUTF16 = "utf16.csv"
    /// One top-level JSON object holding the array of cases (Italian vocabulary).
    case json
    /// JSON lines, one case object per line (Spanish vocabulary).
    case jsonLines = "ndjson"

    /// Folder prefix and member-id part.
    var slug: String {
        switch self {
        case .xml: "xml"
        case .xmlGzip: "xmlgz"
        case .csvGzip: "csvgz"
        case .csvUTF16: "utf16csv"
        case .json: "json"
        case .jsonLines: "ndjson"
        }
    }

    var country: String {
        switch self {
        case .xml: "BE"
        case .xmlGzip: "LU"
        case .csvGzip: "DE"
        case .csvUTF16: "FR"
        case .json: "IT"
        case .jsonLines: "ES"
        }
    }

    var vocabulary: Vocabulary {
        switch self {
        case .xml, .xmlGzip, .csvUTF16: .french
        case .csvGzip: .german
        case .json: .italian
        case .jsonLines: .spanish
        }
    }

    /// File name extension of both submissions.
    var fileExtension: String {
        switch self {
        case .xml: "xml"
        case .xmlGzip: "xml.gz"
        case .csvGzip: "csv.gz"
        case .csvUTF16: "csv"
        case .json: "json"
        case .jsonLines: "ndjson"
        }
    }

    var isGzip: Bool { self == .xmlGzip || self == .csvGzip }

    var encoding: ByteSink.Encoding {
        switch self {
        case .csvGzip: .windows1252
        case .csvUTF16: .utf16LittleEndian
        default: .utf8
        }
    }
}

// MARK: - Layout of each format's records

/// Source names of the canonical fields in one format (XML paths, CSV columns, JSON paths).
struct FieldSources {
    var caseID: String
    var childID: String?
    var opened: String
    var closed: String
    var category: String
    var crossBorder: String
    var destination: String
    var repeatMissing: String
    var violence: String
    var age: String
    var gender: String
    var outcome: String
    var foundBy: String
    var daysMissing: String
    var channel: String
    var dateFormat: String
    var nullValues: [String]?
    /// JSON: violence is a JSON boolean, no map.
    var violenceIsBoolean = false

    var month: String
    var contactChannel: String
    var contactType: String
    var count: String
}

extension SyntheticFormat {
    static let casesNamespace = "urn:example:synthetic:dossiers:1"
    static let contactsNamespace = "urn:example:synthetic:contacts:1"

    static let csvHeaderGerman = [
        "Fallnummer", "Kind-Nr", "Eröffnet", "Abgeschlossen", "Kategorie", "Grenzüberschreitend", "Zielland", "Alter",
        "Geschlecht", "Wiederholt vermisst", "Gewalterfahrung", "Ergebnis", "Gefunden durch", "Tage vermisst",
        "Erstkontakt", "Vorname", "Bemerkung",
    ]
    static let csvHeaderFrench = [
        "N° dossier", "N° enfant", "Date d'ouverture", "Date de clôture", "Catégorie", "Transfrontalier",
        "Pays de destination", "Âge", "Sexe", "Récidive", "Violences subies", "Issue", "Retrouvé par",
        "Jours de disparition", "Premier contact", "Prénom", "Commentaire",
    ]

    var sources: FieldSources {
        switch self {
        case .xml, .xmlGzip:
            return FieldSources(
                caseID: "@id", opened: "d:ouverture", closed: "d:cloture", category: "d:categorie",
                crossBorder: "d:frontiere", destination: "d:pays-destination", repeatMissing: "d:recidive",
                violence: "d:violence", age: "d:enfant/@age", gender: "d:enfant/@sexe", outcome: "d:issue",
                foundBy: "d:trouve-par", daysMissing: "d:jours-disparition", channel: "d:canal",
                dateFormat: "yyyy-MM-dd", month: "@mois", contactChannel: "@canal", contactType: "@type",
                count: "@nombre")
        case .csvGzip, .csvUTF16:
            let h = self == .csvGzip ? Self.csvHeaderGerman : Self.csvHeaderFrench
            return FieldSources(
                caseID: h[0], childID: h[1], opened: h[2], closed: h[3], category: h[4], crossBorder: h[5],
                destination: h[6], repeatMissing: h[9], violence: h[10], age: h[7], gender: h[8], outcome: h[11],
                foundBy: h[12], daysMissing: h[13], channel: h[14],
                dateFormat: self == .csvGzip ? "dd.MM.yyyy" : "dd/MM/yyyy",
                nullValues: self == .csvGzip ? ["", "-"] : ["", "NR"],
                month: self == .csvGzip ? "Monat" : "Mois", contactChannel: self == .csvGzip ? "Kanal" : "Canal",
                contactType: self == .csvGzip ? "Kontaktart" : "Type", count: self == .csvGzip ? "Anzahl" : "Nombre")
        case .json:
            return FieldSources(
                caseID: "id", opened: "apertura", closed: "esito.chiusura", category: "categoria",
                crossBorder: "transfrontaliero", destination: "paese_destinazione", repeatMissing: "recidiva",
                violence: "violenza", age: "minore.eta", gender: "minore.genere", outcome: "esito.stato",
                foundBy: "esito.trovato_da", daysMissing: "esito.giorni", channel: "primo_contatto.canale",
                dateFormat: "yyyy-MM-dd", violenceIsBoolean: true, month: "mese", contactChannel: "canale",
                contactType: "tipo", count: "numero")
        case .jsonLines:
            return FieldSources(
                caseID: "expediente", opened: "fecha_apertura", closed: "resolucion.fecha_cierre",
                category: "tipologia", crossBorder: "internacional", destination: "pais_destino",
                repeatMissing: "reincidente", violence: "violencia", age: "menor.edad", gender: "menor.sexo",
                outcome: "resolucion.estado", foundBy: "resolucion.localizado_por", daysMissing: "resolucion.dias",
                channel: "canal_entrada", dateFormat: "yyyy-MM-dd", violenceIsBoolean: true, month: "mes",
                contactChannel: "canal", contactType: "tipo", count: "total")
        }
    }
}
