package calc

import (
	"fmt"
	"strings"
)

// The Text methods write a short plain-Vietnamese report that staff can paste
// into a reply. They end with the notes and the legal sources used.

// Text reports a voluntary SI contribution.
func (r VSIResult) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "BHXH tự nguyện (quy định ngày %s)\n", viDate(r.Input.Date))
	fmt.Fprintf(&b, "Thu nhập chọn đóng: %s/tháng — %s\n", FormatVND(r.Input.Income), r.Input.Group.Label())
	fmt.Fprintf(&b, "Mức đóng %s %%: %s/tháng\n", viPercent(r.RatePercent), FormatVND(r.GrossMonthly))
	fmt.Fprintf(&b, "Nhà nước hỗ trợ %s %%: %s/tháng\n", viPercent(r.SupportPercent), FormatVND(r.SupportMonthly))
	fmt.Fprintf(&b, "Bạn tự đóng: %s/tháng\n", FormatVND(r.PayableMonthly))
	if r.Input.Years > 0 {
		fmt.Fprintf(&b, "Đóng trước %d năm (%d tháng) một lần: %s (nếu đóng từng tháng: %s)\n",
			r.Input.Years, r.PeriodMonths, FormatVND(r.PayableTotal), FormatVND(r.UndiscountedTotal))
	} else if r.PeriodMonths == 1 {
		fmt.Fprintf(&b, "Đóng hằng tháng: %s mỗi tháng\n", FormatVND(r.PayableTotal))
	} else {
		fmt.Fprintf(&b, "Đóng %d tháng một lần: %s\n", r.PeriodMonths, FormatVND(r.PayableTotal))
	}
	fmt.Fprintf(&b, "Thu nhập được chọn từ %s đến %s/tháng.\n", FormatVND(r.Floor), FormatVND(r.Ceiling))
	tail(&b, r.Notes, r.Sources)
	return b.String()
}

// Text reports the minimum contribution table.
func (t MinTable) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Mức đóng BHXH tự nguyện thấp nhất (quy định ngày %s)\n", viDate(t.Date))
	fmt.Fprintf(&b, "Thu nhập thấp nhất: %s/tháng\n", FormatVND(t.Floor))
	for _, r := range t.Rows {
		fmt.Fprintf(&b, "- %s (hỗ trợ %s %%): %s/tháng", r.Group.Label(), viPercent(r.SupportPercent), FormatVND(r.Payable))
		for _, m := range r.Methods {
			if m.Months > 1 {
				fmt.Fprintf(&b, "; %d tháng %s", m.Months, FormatVND(m.Total))
			}
		}
		b.WriteString("\n")
	}
	tail(&b, t.Notes, t.Sources)
	return b.String()
}

// Text reports household health insurance.
func (r HIResult) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "BHYT hộ gia đình, %d người, kỳ %d tháng (quy định ngày %s)\n", r.Input.Members, r.Input.Months, viDate(r.Input.Date))
	fmt.Fprintf(&b, "Mức tham chiếu: %s; người thứ nhất đóng %s %%\n", FormatVND(r.BaseSalary), viPercent(r.RatePercent))
	for _, m := range r.Members {
		fmt.Fprintf(&b, "- Người thứ %d (%s %%): %s/tháng, %d tháng %s\n",
			m.Position, viPercent(m.RatioPercent), FormatVND(m.Monthly), r.Input.Months, FormatVND(m.Total))
	}
	fmt.Fprintf(&b, "Cả hộ đóng: %s\n", FormatVND(r.Total))
	tail(&b, r.Notes, r.Sources)
	return b.String()
}

// Text reports the retirement age.
func (r RetireResult) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Tuổi nghỉ hưu — %s, sinh tháng %02d/%d\n", r.Input.Sex.Label(), int(r.Input.Born.Month), r.Input.Born.Year)
	fmt.Fprintf(&b, "Tuổi nghỉ hưu: %d tuổi %d tháng\n", r.AgeYears, r.AgeMonths)
	fmt.Fprintf(&b, "Đủ tuổi vào tháng %02d/%d\n", int(r.Reached.Month), r.Reached.Year)
	tail(&b, r.Notes, r.Sources)
	return b.String()
}

// Text reports a pension estimate.
func (r PensionResult) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Lương hưu ước tính — %s, %d năm đóng, thu nhập bình quân %s/tháng (quy định ngày %s)\n",
		r.Input.Sex.Label(), r.Input.Years, FormatVND(r.Input.Income), viDate(r.Input.Date))
	if r.Eligible {
		fmt.Fprintf(&b, "Đã đóng đủ %d năm: được hưởng lương hưu khi đủ tuổi nghỉ hưu.\n", r.MinYears)
		fmt.Fprintf(&b, "Tỷ lệ hưởng: %s %%\n", viPercent(r.RatePercent))
		fmt.Fprintf(&b, "Lương hưu: khoảng %s/tháng\n", FormatVND(r.Monthly))
	} else {
		fmt.Fprintf(&b, "Chưa đủ %d năm đóng: còn thiếu %d năm (%d tháng).\n", r.MinYears, r.MissingYears, r.MissingMonths)
		if r.MissingCost.Sign() > 0 {
			fmt.Fprintf(&b, "Đóng một lần cho %d tháng còn thiếu (thu nhập %s): khoảng %s\n",
				r.MissingMonths, FormatVND(r.MissingIncome), FormatVND(r.MissingCost))
		}
		fmt.Fprintf(&b, "Khi đủ %d năm: tỷ lệ %s %%, lương hưu khoảng %s/tháng\n",
			r.MinYears, viPercent(r.RateIfMinimum), FormatVND(r.MonthlyIfMinimum))
	}
	tail(&b, r.Notes, r.Sources)
	return b.String()
}

// Text reports a lump-sum estimate.
func (r LumpSumResult) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "BHXH một lần — ước tính (ngày giải quyết %s)\n", viDate(r.Input.Date))
	for _, p := range r.Input.Periods {
		fmt.Fprintf(&b, "Đã đóng %02d/%d–%02d/%d, thu nhập %s/tháng, %s\n",
			int(p.From.Month), p.From.Year, int(p.To.Month), p.To.Year, FormatVND(p.Income), p.Group.Label())
	}
	fmt.Fprintf(&b, "Số tháng đóng: %d\n", r.Months)
	fmt.Fprintf(&b, "Thu nhập bình quân (đã nhân hệ số điều chỉnh): %s\n", FormatVND(r.AverageIncome))
	fmt.Fprintf(&b, "Tiền BHXH một lần trước khi trừ hỗ trợ: %s\n", FormatVND(r.Gross))
	fmt.Fprintf(&b, "Trừ tiền Nhà nước đã hỗ trợ (%d tháng): %s\n", r.SupportMonths, FormatVND(r.SupportDeducted))
	fmt.Fprintf(&b, "Số tiền nhận: khoảng %s\n", FormatVND(r.Amount))
	fmt.Fprintf(&b, "Bạn đã tự đóng: %s\n", FormatVND(r.PaidByPerson))
	if r.Comparison != "" {
		b.WriteString(r.Comparison + "\n")
	}
	tail(&b, r.Notes, r.Sources)
	return b.String()
}

func tail(b *strings.Builder, notes []string, sources []Source) {
	if len(notes) > 0 {
		b.WriteString("Lưu ý:\n")
		for _, n := range notes {
			b.WriteString("- " + n + "\n")
		}
	}
	if len(sources) > 0 {
		refs := make([]string, 0, len(sources))
		for _, s := range sources {
			if s.Confidence == "high" {
				refs = append(refs, s.Ref)
			} else {
				refs = append(refs, fmt.Sprintf("%s (độ tin cậy %s)", s.Ref, confidenceVI(s.Confidence)))
			}
		}
		b.WriteString("Căn cứ: " + strings.Join(refs, "; ") + "\n")
	}
}

func confidenceVI(c string) string {
	switch c {
	case "high":
		return "cao"
	case "medium":
		return "trung bình"
	case "low":
		return "thấp"
	}
	return c
}
