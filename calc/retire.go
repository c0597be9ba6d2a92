package calc

import (
	"fmt"
	"time"
)

// add returns the month a months after m.
func (m Month) add(months int) Month {
	t := time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, time.UTC).AddDate(0, months, 0)
	return Month{Year: t.Year(), Month: t.Month()}
}

// String writes the month as YYYY-MM.
func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year, int(m.Month)) }

// Before reports whether m is earlier than o.
func (m Month) Before(o Month) bool {
	return m.Year < o.Year || m.Year == o.Year && m.Month < o.Month
}

// ParseMonth reads "YYYY-MM" (also "MM/YYYY" and "M/YYYY").
func ParseMonth(s string) (Month, error) {
	for _, layout := range []string{"2006-01", "01/2006", "1/2006", "2006-1"} {
		if t, err := time.Parse(layout, s); err == nil {
			return Month{Year: t.Year(), Month: t.Month()}, nil
		}
	}
	return Month{}, &InputError{Msg: fmt.Sprintf("Tháng %q chưa đúng dạng. Ghi theo dạng năm-tháng, ví dụ 1990-05.", s)}
}

// RetirementAge returns the retirement age (Labour Code Art. 169(2),
// Decree 135/2020) for a sex and birth month, and the month it is reached.
//
// Rule: people who reach the old age (60 y / 55 y) before the first year of
// the schedule retire at it; otherwise the age is that of the first schedule
// year Y in which birth + age(Y) falls (in Y or earlier); after the schedule
// the final age (62 y / 60 y) applies.
//
// Errors (*InputError): unknown sex, birth month outside 1900–2100.
func (c *Calculator) RetirementAge(in RetireInput) (RetireResult, error) {
	res := RetireResult{Input: in}
	if in.Sex != Male && in.Sex != Female {
		return res, &InputError{Msg: "Giới tính phải là nam hoặc nữ."}
	}
	if in.Born.Year < 1900 || in.Born.Year > 2100 || in.Born.Month < 1 || in.Born.Month > 12 {
		return res, &InputError{Msg: "Tháng sinh chưa hợp lệ. Ghi theo dạng năm-tháng, ví dụ 1990-05."}
	}
	s := c.p.RetirementAge
	if len(s.Rows) == 0 {
		return res, &InputError{Msg: fmt.Sprintf("Chưa có dữ liệu tuổi nghỉ hưu. Bạn hỏi tổng đài %s giúp mình nhé.", Hotline)}
	}
	ageOf := func(r AgeRow) Age {
		if in.Sex == Female {
			return r.Female
		}
		return r.Male
	}
	age := ageOf(s.Rows[len(s.Rows)-1])
	if before, ok := s.Before[in.Sex]; ok && in.Born.add(before.InMonths()).Year < s.Rows[0].Year {
		age = before
	} else {
		for _, r := range s.Rows {
			if a := ageOf(r); in.Born.add(a.InMonths()).Year <= r.Year {
				age = a
				break
			}
		}
	}
	res.AgeYears, res.AgeMonths = age.Years, age.Months
	res.Reached = in.Born.add(age.InMonths())
	res.Sources = []Source{s.Source}
	res.Notes = []string{
		"Đây là tuổi nghỉ hưu khi làm việc trong điều kiện bình thường. Lương hưu được hưởng từ tháng sau tháng đủ điều kiện.",
		"Người đóng BHXH tự nguyện từ trước 01/01/2021 và đủ 20 năm đóng có thể nhận lương hưu ở tuổi 60 (nam) / 55 (nữ).",
	}
	return res, nil
}
