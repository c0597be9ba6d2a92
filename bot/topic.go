package bot

import (
	"fmt"
	"strings"

	"github.com/bhxh-tn/bhxhbot/calc"
)

// Describe puts a topic in one short Vietnamese line for the people who will
// call back (the consent screen and the lead card): the calculation, else
// the question asked, else "" (an FAQ id alone says nothing to a person;
// describe reads its question).
func (t Topic) Describe(question func(faqID string) string) string {
	if c := t.Calc; c != nil {
		switch {
		case c.VSI != nil:
			s := "Tính mức đóng BHXH tự nguyện, thu nhập " + calc.FormatVND(c.VSI.Income)
			if c.VSI.Group != "" {
				s += ", " + strings.ToLower(c.VSI.Group.Label())
			}
			switch {
			case c.VSI.Years >= calc.AdvanceYearsMin:
				s += fmt.Sprintf(", đóng trước %d năm", c.VSI.Years)
			case c.VSI.Months > 1:
				s += fmt.Sprintf(", đóng %d tháng một lần", c.VSI.Months)
			}
			return s
		case c.HI != nil:
			return fmt.Sprintf("Tính BHYT hộ gia đình, %d người", c.HI.Members)
		case c.Pension != nil:
			p := c.Pension
			s := "Ước tính lương hưu"
			if p.Sex != "" {
				s += ", " + strings.ToLower(p.Sex.Label())
			}
			if p.Born.Year != 0 {
				s += fmt.Sprintf(", sinh năm %d", p.Born.Year)
			}
			if p.YearsSet {
				s += ", " + yearsText(p.Compulsory, p.Voluntary)
			}
			if p.Income.IsPositive() {
				s += ", thu nhập " + calc.FormatVND(p.Income)
			}
			return s
		}
	}
	if q := strings.TrimSpace(t.Question); q != "" {
		return q
	}
	if t.FAQID != "" && question != nil {
		return question(t.FAQID)
	}
	return ""
}
