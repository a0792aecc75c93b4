/// A calendar day as a count of days since 1970-01-01 (proleptic Gregorian), without Foundation's
/// Calendar, which would dominate the generator's time.
struct Day: Comparable {
    var serial: Int

    init(serial: Int) { self.serial = serial }

    init(year: Int, month: Int, day: Int) {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        serial = era * 146_097 + doe - 719_468
    }

    var civil: (year: Int, month: Int, day: Int) {
        let z = serial + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func < (a: Day, b: Day) -> Bool { a.serial < b.serial }

    static func + (a: Day, days: Int) -> Day { Day(serial: a.serial + days) }
}

/// One child in one case, in canonical terms (indexes into `Canonical`), before a member writes
/// it in its own vocabulary.
struct SyntheticCase {
    var number: Int
    var opened: Day
    var closed: Day?
    var category: Int
    var crossBorder: Bool?
    var destination: String?
    var repeatMissing: Bool?
    var violence: Bool?
    var age: Int?
    var gender: Int?
    var outcome: Int?
    var foundBy: Int?
    var daysMissing: Int?
    var channel: Int?
    var firstName: String
    var lastName: String
    var remark: String?
}

/// Draws cases with the network's published proportions (see docs: about 57% runaways, 22%
/// parental abductions, 5% missing migrants, 0.7% criminal abductions; age peaks 15 / 6 / 13;
/// ~6 in 10 runaways are girls), the same rules as samples/generate.py.
struct CaseDrawer {
    let year: Int
    let vocabulary: Vocabulary

    private static let categoryWeights = [57.5, 22, 0.7, 5, 2, 12.8]
    private static let ageWeights: [[(Int, Double)]] = [
        [(11, 2), (12, 5), (13, 10), (14, 18), (15, 26), (16, 22), (17, 14)],
        [(0, 3), (1, 4), (2, 6), (3, 8), (4, 10), (5, 12), (6, 14), (7, 12), (8, 10), (9, 8), (10, 6), (11, 4),
         (12, 3), (13, 2), (14, 1)],
        [(4, 1), (7, 1), (9, 1), (12, 1), (14, 1), (16, 1)],
        [(10, 2), (11, 4), (12, 8), (13, 20), (14, 9), (15, 7), (16, 5), (17, 4)],
        [(3, 2), (4, 3), (5, 3), (6, 3), (7, 2), (8, 2), (9, 1), (10, 1), (12, 1), (14, 1)],
        (4...17).map { ($0, $0 >= 12 ? 4 : 1) },
    ]
    private static let outcomeWeights: [[Double]] = [
        [62, 0.5, 24, 14], [30, 0, 56, 14], [70, 0, 30, 0], [15, 0, 72, 13], [90, 0, 5, 5], [50, 1, 35, 14],
    ]
    private static let crossBorderRate = [0.05, 0.42, 0.3, 0.45, 0.0, 0.06]
    private static let repeatRate = [0.46, 0.08, 0.08, 0.15, 0.08, 0.08]
    private static let violenceRate = [0.30, 0.14, 0.5, 0.30, 0.10, 0.10]
    private static let femaleRate = [0.6, 0.5, 0.5, 0.3, 0.5, 0.5]
    private static let foundByWeights: [Double] = [40, 30, 15, 10, 5]
    private static let channelWeights: [Double] = [70, 2, 9, 12, 1, 2, 4, 0]

    func draw(_ number: Int, _ rng: inout SplitMix64) -> SyntheticCase {
        let category = rng.weighted(Self.categoryWeights)
        let ongoing = category != 4 && rng.chance(0.13)
        let opened =
            ongoing
            ? Day(year: year - 1, month: 3, day: 1) + rng.int(in: 0...305)
            : Day(year: year, month: 1, day: 1) + rng.int(in: 0...364)
        let ages = Self.ageWeights[category]
        let age = rng.chance(0.03) ? nil : ages[rng.weighted(ages.map(\.1))].0
        let r = rng.unit()
        let gender: Int? =
            r < 0.03 ? nil : r < 0.04 ? 2 : (rng.chance(Self.femaleRate[category]) ? 0 : 1)
        let crossBorderDrawn = rng.chance(Self.crossBorderRate[category])
        let crossBorder: Bool? = rng.chance(0.05) ? nil : crossBorderDrawn
        let destination =
            crossBorder == true && rng.chance(0.85) ? rng.element(of: vocabulary.destinations) : nil
        let repeatMissing: Bool? = rng.chance(0.05) ? nil : rng.chance(Self.repeatRate[category])
        let violence: Bool? = rng.chance(0.08) ? nil : rng.chance(Self.violenceRate[category])
        var outcomeWeights = Self.outcomeWeights[category]
        if ongoing { outcomeWeights[0] /= 2 }
        let outcomeDrawn = rng.weighted(outcomeWeights)
        let outcome: Int? = outcomeDrawn == 3 && rng.chance(0.5) ? nil : outcomeDrawn
        var foundBy: Int?
        var daysMissing: Int?
        var closed: Day?
        if outcomeDrawn <= 1 {
            if rng.chance(0.92) { foundBy = rng.weighted(Self.foundByWeights) }
            let p = rng.unit()
            var days: Int
            switch category {
            case 0: days = p < 0.78 ? rng.int(in: 0...6) : p < 0.93 ? rng.int(in: 7...30) : rng.int(in: 31...120)
            case 1: days = p < 0.4 ? rng.int(in: 2...30) : rng.int(in: 31...300)
            case 4: days = rng.int(in: 0...1)
            default: days = p < 0.7 ? rng.int(in: 0...14) : rng.int(in: 15...200)
            }
            if ongoing { days += Day(year: year, month: 1, day: 1).serial - opened.serial }
            daysMissing = rng.chance(0.93) ? days : nil
            let end = opened + (days + rng.int(in: 0...4))
            if end.civil.year == year && rng.chance(0.9) { closed = end }
        }
        let channel: Int? = rng.chance(0.08) ? nil : rng.weighted(Self.channelWeights)
        return SyntheticCase(
            number: number, opened: opened, closed: closed, category: category, crossBorder: crossBorder,
            destination: destination, repeatMissing: repeatMissing, violence: violence, age: age, gender: gender,
            outcome: outcome, foundBy: foundBy, daysMissing: daysMissing, channel: channel,
            firstName: rng.element(of: vocabulary.firstNames), lastName: rng.element(of: vocabulary.lastNames),
            remark: rng.chance(0.6) ? rng.element(of: vocabulary.remarks) : nil)
    }
}

/// Monthly contact counts per channel and type, with a seasonal curve (more in summer).
struct ContactDrawer {
    static let season = [0.9, 0.85, 0.95, 1.0, 1.05, 1.1, 1.25, 1.2, 1.0, 0.95, 0.9, 0.85]
    /// (channel index, type index, typical monthly count)
    static let base: [(Int, Int, Double)] = [
        (0, 0, 95), (0, 1, 210), (0, 2, 140), (0, 3, 70), (0, 6, 12), (0, 5, 9),
        (3, 0, 14), (3, 1, 38), (3, 2, 6), (3, 3, 4),
        (2, 0, 9), (2, 1, 22), (2, 3, 1),
        (5, 0, 5), (5, 1, 12),
    ]

    static func rows(scale: Double, _ rng: inout SplitMix64) -> [(month: Int, channel: Int, type: Int, count: Int)] {
        var rows: [(month: Int, channel: Int, type: Int, count: Int)] = []
        for month in 1...12 {
            for (channel, type, typical) in base {
                let value = typical * scale * season[month - 1] * (0.8 + 0.4 * rng.unit())
                rows.append((month, channel, type, Int(value.rounded())))
            }
        }
        return rows
    }
}
