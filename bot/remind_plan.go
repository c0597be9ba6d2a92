package bot

import (
	"fmt"
	"time"

	"github.com/bhxh-tn/bhxhbot/calc"
)

// When reminders go out. All times are in Vietnam (calc.Vietnam).

// PayPeriod is a voluntary-SI payment period: Months months from Start.
type PayPeriod struct {
	Start  calc.Month
	Months int
}

// deadlineMonths is how many months of a period one has to pay for it:
// within the month, the 3 months, the first 4 of 6, the first 7 of 12 (L41
// Art. 36(3)(a–d); facts.md §4, high).
var deadlineMonths = map[int]int{1: 1, 3: 3, 6: 4, 12: 7}

// PayMethods are the periodic payment methods a reminder follows, in months.
var PayMethods = []int{1, 3, 6, 12}

// Reminder timing.
const (
	remindHour   = 9  // occurrences are due at 09:00 in Vietnam
	payFirstDays = 7  // the first payment reminder: 7 days before the deadline
	payLastDays  = 2  // the last one, unless "Đã đóng" was pressed: 2 days before
	cardFirst    = 30 // card reminders: 30 and 7 days before the expiry
	cardLast     = 7
	// cardGapDays: a household HI card that lapsed 90 days or more loses
	// its continuity and the new card waits 30 days (HI Law Art. 16(3)(c)
	// as amended by L51; facts.md §6, high).
	cardGapDays = 90
	cardWait    = 30
	snoozeDays  = 3 // "Nhắc lại sau 3 ngày"
	// refireGap: after an occurrence, the next one is at least this far
	// away (a late or snoozed reminder does not bring the next within a day).
	refireGap = 24 * time.Hour
)

// monthVN is the month of t in Vietnam.
func monthVN(t time.Time) calc.Month {
	t = t.In(calc.Vietnam)
	return calc.Month{Year: t.Year(), Month: t.Month()}
}

// dayVN is 00:00 in Vietnam of the given date.
func dayVN(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, calc.Vietnam) }

// startOfDay is 00:00 in Vietnam of t's date there.
func startOfDay(t time.Time) time.Time {
	t = t.In(calc.Vietnam)
	return dayVN(t.Year(), t.Month(), t.Day())
}

// End is the period's last month.
func (p PayPeriod) End() calc.Month { return addMonths(p.Start, p.Months-1) }

// Next is the period after p.
func (p PayPeriod) Next() PayPeriod {
	return PayPeriod{Start: addMonths(p.Start, p.Months), Months: p.Months}
}

// Valid reports a known method and a start month.
func (p PayPeriod) Valid() bool {
	return deadlineMonths[p.Months] > 0 && p.Start.Year > 0 && p.Start.Month >= 1
}

// Deadline is the last day to pay for the period (00:00 in Vietnam).
func (p PayPeriod) Deadline() time.Time {
	after := addMonths(p.Start, deadlineMonths[p.Months])
	return dayVN(after.Year, after.Month, 1).AddDate(0, 0, -1)
}

// over reports whether the deadline has passed at t.
func (p PayPeriod) over(t time.Time) bool { return !t.Before(p.Deadline().AddDate(0, 0, 1)) }

// times are the period's reminders: 7 and 2 days before the deadline, at 09:00.
func (p PayPeriod) times() [2]time.Time {
	d := p.Deadline()
	return [2]time.Time{nineAM(d, payFirstDays), nineAM(d, payLastDays)}
}

// String is "10/2026–12/2026" ("12/2026" for one month).
func (p PayPeriod) String() string {
	s := fmt.Sprintf("%02d/%d", int(p.Start.Month), p.Start.Year)
	if p.Months == 1 {
		return s
	}
	e := p.End()
	return s + fmt.Sprintf("–%02d/%d", int(e.Month), e.Year)
}

// nineAM is 09:00 in Vietnam, days before day.
func nineAM(day time.Time, before int) time.Time {
	d := day.In(calc.Vietnam).AddDate(0, 0, -before)
	return time.Date(d.Year(), d.Month(), d.Day(), remindHour, 0, 0, 0, calc.Vietnam)
}

// nextPayAfter is the first payment reminder, from period p on, more than
// gap after t: its period and time.
func nextPayAfter(p PayPeriod, t time.Time, gap time.Duration) (PayPeriod, time.Time) {
	for {
		for _, at := range p.times() {
			if at.Sub(t) > gap {
				return p, at
			}
		}
		p = p.Next()
	}
}

// cardTimes are a card's reminders: 30 and 7 days before its expiry, at 09:00.
func cardTimes(expiry time.Time) [2]time.Time {
	return [2]time.Time{nineAM(expiry, cardFirst), nineAM(expiry, cardLast)}
}

// nextCardAfter is the first card reminder more than gap after t (zero: none left).
func nextCardAfter(expiry, t time.Time, gap time.Duration) time.Time {
	for _, at := range cardTimes(expiry) {
		if at.Sub(t) > gap {
			return at
		}
	}
	return time.Time{}
}

// daysUntil is the number of calendar days in Vietnam from t's date to day
// (negative once day has passed).
func daysUntil(day, t time.Time) int {
	a, b := startOfDay(t), startOfDay(day)
	return int(b.Sub(a).Round(24*time.Hour) / (24 * time.Hour))
}

// PeriodsAround lists the periods of months months that contain month m, the
// latest start first (the one just starting, then those started earlier):
// the choices when someone says which period they are in.
func PeriodsAround(m calc.Month, months int) []PayPeriod {
	var out []PayPeriod
	for i := 0; i < months; i++ {
		out = append(out, PayPeriod{Start: addMonths(m, -i), Months: months})
	}
	return out
}

// planPay decides the occurrence of a payment reminder due at now: the
// period to remind (send false when the periods it was due for have all
// ended: the schedule only moves to the first period still open) and the
// reminder after it.
func planPay(r Reminder, now time.Time) (p PayPeriod, send bool, next Reminder) {
	p = r.Period()
	for p.over(now) {
		p = p.Next()
	}
	next = r
	if p.times()[0].After(now) {
		// Every period it was due for ended while nothing could be sent
		// (the bot was down, the chat blocked): wait for this one's.
		next.Start, next.NextAt = p.Start, p.times()[0]
		return p, false, next
	}
	np, at := nextPayAfter(p, now, refireGap)
	next.Start, next.NextAt = np.Start, at
	return p, true, next
}

// planCard decides the occurrence of a card reminder due at now: send false
// once the card lapsed cardGapDays ago or more (nothing useful to say);
// the next reminder is zero after the last.
func planCard(r Reminder, now time.Time) (send bool, next Reminder) {
	next = r
	next.NextAt = nextCardAfter(r.Expiry, now, refireGap)
	return daysUntil(r.Expiry, now) > -cardGapDays, next
}

// firstPay is when a new payment reminder for period p set at now first
// goes out.
func firstPay(p PayPeriod, now time.Time) (PayPeriod, time.Time) { return nextPayAfter(p, now, 0) }
