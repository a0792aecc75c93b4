import Testing
@testable import Normalize

@Suite struct DatePatternTests {
    @Test func dayMonthYearWithDots() throws {
        let pattern = try #require(DatePattern("dd.MM.yyyy"))
        #expect(pattern.description == "dd.MM.yyyy")
        #expect(pattern.parse("03.02.2025") == Support.date(2025, 2, 3))
        #expect(pattern.parse("31.12.1999") == Support.date(1999, 12, 31))
    }

    @Test func dayMonthYearWithSlashes() throws {
        let pattern = try #require(DatePattern("dd/MM/yyyy"))
        #expect(pattern.parse("14/07/2024") == Support.date(2024, 7, 14))
        #expect(pattern.parse("14.07.2024") == nil)
    }

    @Test func isoDates() throws {
        let pattern = try #require(DatePattern("yyyy-MM-dd"))
        #expect(pattern.parse("2025-01-05") == Support.date(2025, 1, 5))
        #expect(pattern.parse("05.01.2025") == nil)
    }

    @Test func singleDigitDayAndMonthAreAccepted() throws {
        let dotted = try #require(DatePattern("dd.MM.yyyy"))
        #expect(dotted.parse("1.2.2025") == Support.date(2025, 2, 1))
        #expect(dotted.parse("9.11.2025") == Support.date(2025, 11, 9))
        #expect(dotted.parse("15.3.2025") == Support.date(2025, 3, 15))
        let iso = try #require(DatePattern("yyyy-MM-dd"))
        #expect(iso.parse("2025-1-5") == Support.date(2025, 1, 5))
    }

    @Test func impossibleDatesAreRejected() throws {
        let pattern = try #require(DatePattern("dd.MM.yyyy"))
        #expect(pattern.parse("31.02.2025") == nil)
        #expect(pattern.parse("29.02.2025") == nil)
        #expect(pattern.parse("31.04.2025") == nil)
        #expect(pattern.parse("00.01.2025") == nil)
        #expect(pattern.parse("01.00.2025") == nil)
        #expect(pattern.parse("01.13.2025") == nil)
        #expect(pattern.parse("32.01.2025") == nil)
    }

    @Test func leapDays() throws {
        let pattern = try #require(DatePattern("dd.MM.yyyy"))
        #expect(pattern.parse("29.02.2024") == Support.date(2024, 2, 29))
        #expect(pattern.parse("29.02.2000") == Support.date(2000, 2, 29))  // divisible by 400
        #expect(pattern.parse("29.02.2100") == nil)  // divisible by 100 only
        #expect(pattern.parse("29.02.1900") == nil)
    }

    @Test func textThatDoesNotFitIsRejected() throws {
        let pattern = try #require(DatePattern("dd.MM.yyyy"))
        #expect(pattern.parse("03.02.2025x") == nil)  // trailing garbage
        #expect(pattern.parse("03.02.2025 ") == nil)
        #expect(pattern.parse("03.02.20251") == nil)  // five-digit year
        #expect(pattern.parse("03.02.25") == nil)  // two-digit year
        #expect(pattern.parse("03.02.") == nil)
        #expect(pattern.parse("") == nil)
        #expect(pattern.parse("003.02.2025") == nil)  // three-digit day
        #expect(pattern.parse("03-02-2025") == nil)  // wrong separator
        #expect(pattern.parse("a3.02.2025") == nil)
    }

    @Test(arguments: [
        "MM.dd",  // no yyyy
        "dd.MM.yy",  // yy is not yyyy, and letters are not separators
        "yyyy-MM",  // no dd
        "dd.dd.yyyy",  // repeated dd, no MM
        "dd.MM.yyyy.dd",  // repeated dd
        "yyyy-MM-dd yyyy",  // repeated yyyy
        "dd.MM.yyyyT",  // a letter
        "dd.M.yyyy",  // a lone M is a letter
        "dd·MM·yyyy",  // non-ASCII separator
        "",
    ])
    func badPatterns(pattern: String) {
        #expect(DatePattern(pattern) == nil)
    }

    @Test func patternWithoutSeparators() throws {
        let pattern = try #require(DatePattern("yyyyMMdd"))
        #expect(pattern.parse("20250105") == Support.date(2025, 1, 5))
    }
}

@Suite struct CivilDateTests {
    @Test func daysSinceEpoch() {
        #expect(Support.date(1970, 1, 1).daysSinceEpoch == 0)
        #expect(Support.date(1970, 1, 2).daysSinceEpoch == 1)
        #expect(Support.date(1969, 12, 31).daysSinceEpoch == -1)
        // 55 years of 365 days plus 14 leap days (1972...2024).
        #expect(Support.date(2025, 1, 1).daysSinceEpoch == 20089)
        // 2000-01-01 is 30 * 365 + 7 = 10957; plus 31 (January) and 29 (February 2000).
        #expect(Support.date(2000, 3, 1).daysSinceEpoch == 11017)
        // 1900...1969: 70 * 365 + 17 leap days (1904...1968), before the epoch.
        #expect(Support.date(1900, 1, 1).daysSinceEpoch == -25567)
    }

    @Test func farFutureDaysSinceEpoch() {
        // 2100-01-01: 130 * 365 + 32 leap days (1972...2096, 2000 included) = 47482.
        #expect(Support.date(2100, 1, 1).daysSinceEpoch == 47482)
        // 2100 is not a leap year: + 31 + 28.
        #expect(Support.date(2100, 3, 1).daysSinceEpoch == 47541)
        // 2400-01-01 is one 400-year cycle (146097 days) after 2000-01-01 (10957).
        #expect(Support.date(2400, 1, 1).daysSinceEpoch == 157054)
    }

    @Test func validity() {
        #expect(CivilDate(year: 2025, month: 13, day: 1) == nil)
        #expect(CivilDate(year: 2025, month: 0, day: 1) == nil)
        #expect(CivilDate(year: 2025, month: 6, day: 31) == nil)
        #expect(CivilDate(year: 2025, month: 6, day: 30) != nil)
        #expect(CivilDate(year: 2400, month: 2, day: 29) != nil)
    }

    @Test func orderAndDescription() {
        #expect(Support.date(2024, 12, 31) < Support.date(2025, 1, 1))
        #expect(Support.date(2025, 1, 31) < Support.date(2025, 2, 1))
        #expect(Support.date(2025, 2, 1) < Support.date(2025, 2, 2))
        #expect(!(Support.date(2025, 2, 2) < Support.date(2025, 2, 2)))
        #expect(Support.date(2025, 2, 3).description == "2025-02-03")
        #expect(Support.date(999, 1, 9).description == "0999-01-09")
    }
}
