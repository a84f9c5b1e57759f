/// Proleptic Gregorian calendar arithmetic on plain integers.
///
/// Everything in the module that turns seconds into dates goes through here, so the schedule
/// search never needs Foundation's `Calendar` (which is slow and allocates). Days are counted from
/// 1970-01-01; the conversions are exact for every `Int64` second count that has a representable
/// year.
enum Civil {
    static let secondsPerDay: Int64 = 86_400
    static let secondsPerMinute: Int64 = 60

    /// Days in a 400-year cycle: the Gregorian calendar repeats every 146,097 days.
    private static let daysPerEra: Int64 = 146_097
    /// Days from 0000-03-01 to 1970-01-01.
    private static let epochShift: Int64 = 719_468

    /// Floor division (rounds towards negative infinity, unlike `/`).
    @inline(__always)
    static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// The non-negative remainder matching `floorDivide` (for b > 0; never overflows).
    @inline(__always)
    static func floorModulo(_ a: Int64, _ b: Int64) -> Int64 {
        let remainder = a % b
        return remainder < 0 ? remainder + b : remainder
    }

    static func isLeapYear(_ year: Int64) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    static func daysInMonth(year: Int64, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a calendar date (month 1–12, day 1–31; not range-checked here).
    ///
    /// The year is shifted to start on 1 March so that the leap day is the last day of the
    /// shifted year; month lengths from March on then follow the pattern 31,30,31,30,31 which
    /// `(153 * m + 2) / 5` reproduces.
    static func days(year: Int64, month: Int, day: Int) -> Int64 {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = floorDivide(shiftedYear, 400)
        let yearOfEra = shiftedYear - era * 400                              // 0...399
        let monthFromMarch = Int64((month + 9) % 12)                         // March = 0
        let dayOfYear = (153 * monthFromMarch + 2) / 5 + Int64(day) - 1     // 0...365
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * daysPerEra + dayOfEra - epochShift
    }

    /// The calendar date of a day count since 1970-01-01 (inverse of `days(year:month:day:)`).
    static func date(days: Int64) -> (year: Int64, month: Int, day: Int) {
        let shifted = days + epochShift
        let era = floorDivide(shifted, daysPerEra)
        let dayOfEra = shifted - era * daysPerEra                            // 0...146096
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * monthFromMarch + 2) / 5 + 1)
        let month = Int(monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9)
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    /// AWS day-of-week number of a day count: 1 = Sunday … 7 = Saturday (1970-01-01 was a Thursday).
    static func weekday(days: Int64) -> Int {
        Int(floorModulo(days + 4, 7)) + 1
    }

    /// AWS day-of-week number (1 = Sunday) of a calendar date.
    static func weekday(year: Int64, month: Int, day: Int) -> Int {
        weekday(days: days(year: year, month: month, day: day))
    }
}
