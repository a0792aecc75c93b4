/// One synthetic member hotline: its folder, id, how it writes records, and its mapping file.
struct SyntheticMember {
    let format: SyntheticFormat
    let index: Int
    let year: Int

    var number: String { Text.pad(index + 1) }
    var folder: String { format.slug + "-" + number }
    var id: String { format.country + "-SYN" + format.slug.uppercased() + number }

    /// A PRNG stream per format, member and purpose.
    func stream(_ purpose: UInt64) -> UInt64 {
        let formatIndex = UInt64(SyntheticFormat.allCases.firstIndex(of: format)!)
        return (formatIndex << 32) | (UInt64(index) << 8) | purpose
    }

    func caseID(_ number: Int) -> String {
        format.slug.uppercased() + "-\(index + 1)-" + Text.pad(number, 7)
    }

    // MARK: Case files

    func casesPrologue(count: Int) -> String {
        switch format {
        case .xml, .xmlGzip:
            return """
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- hotline-etl generate: SYNTHETIC data, no real person or case -->
                <cf:export xmlns:cf="\(SyntheticFormat.casesNamespace)" annee="\(year)" membre="\(id)">
                  <cf:dossiers>

                """
        case .csvGzip, .csvUTF16:
            let header = format == .csvGzip ? SyntheticFormat.csvHeaderGerman : SyntheticFormat.csvHeaderFrench
            return csvLine(header)
        case .json:
            return "{\"ente\":\(Text.json(id + " (sintetico)")),\"anno\":\(year),\"n_dossier\":\(count),\"dossiers\":[\n"
        case .jsonLines:
            return ""
        }
    }

    func casesEpilogue() -> String {
        switch format {
        case .xml, .xmlGzip: "  </cf:dossiers>\n</cf:export>\n"
        case .csvGzip, .csvUTF16, .jsonLines: ""
        case .json: "\n]}\n"
        }
    }

    private var delimiter: Character { format == .csvGzip ? ";" : "\t" }

    private func csvLine(_ values: [String]) -> String {
        values.map { Text.csv($0, delimiter: delimiter) }.joined(separator: String(delimiter)) + "\r\n"
    }

    func caseRecord(_ c: LocalCase, first: Bool, _ rng: inout SplitMix64) -> String {
        switch format {
        case .xml, .xmlGzip:
            var s = "    <cf:dossier id=\"\(c.id)\">\n      <cf:ouverture>\(Text.iso(c.opened))</cf:ouverture>\n"
            if let closed = c.closed { s += "      <cf:cloture>\(Text.iso(closed))</cf:cloture>\n" }
            s += "      <cf:categorie>\(Text.xml(c.category))</cf:categorie>\n      <cf:enfant"
            if let age = c.age { s += " age=\"\(age)\"" }
            if let gender = c.gender { s += " sexe=\"\(Text.xml(gender))\"" }
            s += "/>\n      <cf:nom>\(Text.xml(c.name))</cf:nom>\n"
            func element(_ name: String, _ value: String?) {
                if let value { s += "      <cf:\(name)>\(Text.xml(value))</cf:\(name)>\n" }
            }
            element("frontiere", c.crossBorder)
            element("pays-destination", c.destination)
            element("recidive", c.repeatMissing)
            element("violence", c.violence)
            element("issue", c.outcome)
            element("trouve-par", c.foundBy)
            element("jours-disparition", c.daysMissing.map(String.init))
            element("canal", c.channel)
            element("remarque", c.remark)
            return s + "    </cf:dossier>\n"
        case .csvGzip, .csvUTF16:
            let blank = format == .csvGzip ? (rng.chance(0.5) ? "-" : "") : "NR"
            let date = { (day: Day) in
                self.format == .csvGzip ? Text.dayFirst(day, separator: ".") : Text.dayFirst(day, separator: "/")
            }
            var destination = c.destination ?? ""
            if format == .csvGzip && rng.chance(0.2) { destination = destination.lowercased() }
            return csvLine([
                c.id, "1", date(c.opened), c.closed.map(date) ?? "", c.category, c.crossBorder ?? blank, destination,
                c.age.map(String.init) ?? "", c.gender ?? "", c.repeatMissing ?? blank, c.violence ?? blank,
                c.outcome ?? "", c.foundBy ?? "", c.daysMissing.map(String.init) ?? blank, c.channel ?? "",
                String(c.name.split(separator: " ")[0]), c.remark ?? "",
            ])
        case .json:
            func str(_ v: String?) -> String { v.map(Text.json) ?? "null" }
            func num(_ v: Int?) -> String { v.map(String.init) ?? "null" }
            let parts = c.name.split(separator: " ", maxSplits: 1).map(String.init)
            var s = first ? "" : ",\n"
            s += "{\"id\":\(Text.json(c.id)),\"apertura\":\"\(Text.iso(c.opened))\",\"categoria\":\(Text.json(c.category)),"
            s += "\"minore\":{\"nome\":\(Text.json(parts[0])),\"cognome\":\(Text.json(parts[1])),"
            s += "\"eta\":\(num(c.age)),\"genere\":\(str(c.gender))},"
            s += "\"transfrontaliero\":\(str(c.crossBorder)),\"paese_destinazione\":\(str(c.destination)),"
            s += "\"recidiva\":\(str(c.repeatMissing)),\"violenza\":\(c.violenceFlag.map { $0 ? "true" : "false" } ?? "null"),"
            s += "\"esito\":{\"stato\":\(str(c.outcome)),\"trovato_da\":\(str(c.foundBy)),"
            s += "\"giorni\":\(num(c.daysMissing)),\"chiusura\":\(str(c.closed.map(Text.iso)))},"
            s += "\"primo_contatto\":{\"canale\":\(str(c.channel))},\"note\":\(str(c.remark))}"
            return s
        case .jsonLines:
            func str(_ v: String?) -> String { v.map(Text.json) ?? "null" }
            var s = "{\"expediente\":\(Text.json(c.id)),\"fecha_apertura\":\"\(Text.iso(c.opened))\","
            s += "\"tipologia\":\(Text.json(c.category)),"
            s += "\"menor\":{\"nombre\":\(Text.json(c.name)),\"edad\":\(c.age.map(String.init) ?? "null"),"
            s += "\"sexo\":\(str(c.gender))},\"internacional\":\(str(c.crossBorder)),"
            if let destination = c.destination { s += "\"pais_destino\":\(Text.json(destination)),"}
            s += "\"reincidente\":\(str(c.repeatMissing)),"
            s += "\"violencia\":\(c.violenceFlag.map { $0 ? "true" : "false" } ?? "null"),"
            s += "\"resolucion\":{\"estado\":\(str(c.outcome)),\"localizado_por\":\(str(c.foundBy)),"
            s += "\"dias\":\(c.daysMissing.map(String.init) ?? "null"),\"fecha_cierre\":\(str(c.closed.map(Text.iso)))},"
            s += "\"canal_entrada\":\(str(c.channel)),\"observaciones\":\(str(c.remark))}\n"
            return s
        }
    }

    // MARK: Contact files

    func contactsText(_ rows: [(month: Int, channel: Int, type: Int, count: Int)]) -> String {
        let v = format.vocabulary
        switch format {
        case .xml, .xmlGzip:
            var s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<contacts xmlns=\"\(SyntheticFormat.contactsNamespace)\">\n"
            for r in rows {
                s += "  <ligne mois=\"\(r.month)\" canal=\"\(Text.xml(v.channels[r.channel]))\" "
                    + "type=\"\(Text.xml(v.contactTypes[r.type]))\" nombre=\"\(r.count)\"/>\n"
            }
            return s + "</contacts>\n"
        case .csvGzip, .csvUTF16:
            let f = format.sources
            var s = csvLine([f.month, f.contactChannel, f.contactType, f.count])
            for r in rows { s += csvLine([String(r.month), v.channels[r.channel], v.contactTypes[r.type], String(r.count)]) }
            return s
        case .json:
            let lines = rows.map {
                "{\"mese\":\($0.month),\"canale\":\(Text.json(v.channels[$0.channel])),"
                    + "\"tipo\":\(Text.json(v.contactTypes[$0.type])),\"numero\":\($0.count)}"
            }
            return "{\"anno\":\(year),\"contatti\":[\n" + lines.joined(separator: ",\n") + "\n]}\n"
        case .jsonLines:
            return rows.map {
                "{\"mes\":\($0.month),\"canal\":\(Text.json(v.channels[$0.channel])),"
                    + "\"tipo\":\(Text.json(v.contactTypes[$0.type])),\"total\":\($0.count)}\n"
            }.joined()
        }
    }

    // MARK: Mapping file

    func mappingYAML() -> String {
        let f = format.sources
        let v = format.vocabulary
        func map(_ words: [String], _ codes: [String]) -> String {
            zip(words, codes).map { "          \(Text.yaml($0)): \($1)" }.joined(separator: "\n")
        }
        func code(_ field: String, _ source: String, _ words: [String], _ codes: [String], unknown: Bool) -> String {
            "      \(field):\n        from: \(Text.yaml(source))\n        map:\n\(map(words, codes))"
                + (unknown ? "\n        default: UNKNOWN" : "")
        }
        func yesNo(_ field: String, _ source: String) -> String {
            "      \(field): { from: \(Text.yaml(source)), map: { \(Text.yaml(v.yes)): true, \(Text.yaml(v.no)): false } }"
        }
        func plain(_ field: String, _ source: String) -> String { "      \(field): \(Text.yaml(source))" }
        func date(_ field: String, _ source: String) -> String {
            "      \(field): { from: \(Text.yaml(source)), formats: [\(Text.yaml(f.dateFormat))] }"
        }
        var header = "  - match: \(Text.yaml(folder + "/cases-*." + format.fileExtension))\n    kind: cases\n"
        var contactsHeader =
            "  - match: \(Text.yaml(folder + "/contacts-*." + format.fileExtension))\n    kind: contacts\n"
        var formatBlock: String
        var contactsFormatBlock: String
        switch format {
        case .xml, .xmlGzip:
            formatBlock =
                "    format: xml\n    xml:\n      record: /d:export/d:dossiers/d:dossier\n      namespaces:\n"
                + "        d: \(Text.yaml(SyntheticFormat.casesNamespace))\n"
            contactsFormatBlock =
                "    format: xml\n    xml:\n      record: /c:contacts/c:ligne\n      namespaces:\n"
                + "        c: \(Text.yaml(SyntheticFormat.contactsNamespace))\n"
        case .csvGzip, .csvUTF16:
            let encoding = format == .csvGzip ? "windows-1252" : "utf-16"
            let csv =
                "    format: csv\n    csv:\n      delimiter: \(Text.yaml(String(delimiter)))\n      encoding: \(encoding)\n"
                + "      header: true\n"
            formatBlock = csv + "    null_values: [\(f.nullValues!.map(Text.yaml).joined(separator: ", "))]\n"
            contactsFormatBlock = csv
        case .json:
            formatBlock = "    format: json\n    json:\n      records: \"$.dossiers[*]\"\n"
            contactsFormatBlock = "    format: json\n    json:\n      records: \"$.contatti[*]\"\n"
        case .jsonLines:
            formatBlock = "    format: json\n    json:\n      lines: true\n"
            contactsFormatBlock = formatBlock
        }
        header += formatBlock
        contactsHeader += contactsFormatBlock
        var fields = [plain("case_id", f.caseID)]
        if let child = f.childID { fields.append(plain("child_id", child)) }
        fields += [
            date("opened_on", f.opened), date("closed_on", f.closed),
            code("category", f.category, v.categories, Canonical.categories, unknown: false),
            yesNo("cross_border", f.crossBorder), plain("destination_country", f.destination),
            yesNo("repeat_missing", f.repeatMissing),
            f.violenceIsBoolean ? plain("violence_experienced", f.violence) : yesNo("violence_experienced", f.violence),
            plain("child_age", f.age),
            code("child_gender", f.gender, v.genders, Canonical.genders, unknown: true),
            code("outcome", f.outcome, v.outcomes, Canonical.outcomes, unknown: true),
            code("found_by", f.foundBy, v.foundBy, Canonical.foundBy, unknown: false),
            plain("days_missing", f.daysMissing),
            code("first_channel", f.channel, v.channels, Canonical.channels, unknown: false),
        ]
        let contactFields = [
            plain("month", f.month),
            code("channel", f.contactChannel, v.channels, Canonical.channels, unknown: false),
            code("contact_type", f.contactType, v.contactTypes, Canonical.contactTypes, unknown: false),
            plain("count", f.count),
        ]
        return """
            # Synthetic member written by `hotline-etl generate` (invented data, format \(format.rawValue)).
            member: \(id)
            country: \(format.country)
            name: \(Text.yaml("Synthetic \(format.rawValue) member \(number)"))

            submissions:
            \(header)    fields:
            \(fields.joined(separator: "\n"))

            \(contactsHeader)    fields:
            \(contactFields.joined(separator: "\n"))

            """
    }
}
