package faq

import (
	"strings"
	"testing"

	"github.com/bhxh-tn/bhxhbot/content"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// shippedContent loads the real content with its amounts.
func shippedContent(t *testing.T) *KB {
	t.Helper()
	kb, err := Load(content.FS())
	require.NoError(t, err)
	require.NoError(t, kb.loadAmounts(content.FS()))
	return kb
}

// answer renders a shipped entry as plain text on a day.
func answer(t *testing.T, kb *KB, id, day string) string {
	t.Helper()
	e, ok := kb.Entry(id)
	require.True(t, ok, id)
	text, err := kb.amounts.RenderText(e.Body, onDay(t, day))
	require.NoError(t, err, id)
	return text
}

// The corrections of the December 2026 content audit (issue 11, item 3),
// each checked on the shipped answers as people read them.
func TestAuditCorrections(t *testing.T) {
	kb := shippedContent(t)
	const day = "2026-12-20"

	t.Run("funeral grant with 12 months of compulsory SI", func(t *testing.T) {
		// L41 Art. 111(1)(c), Art. 109(1)(b): a family must not be told that
		// nothing is due before the compulsory months are asked about.
		for _, id := range []string{"funeral-grant-amount", "funeral-grant-under-60-months"} {
			text := answer(t, kb, id, day)
			assert.Regexp(t, `từ 12 tháng đóng (BHXH )?bắt buộc`, text, id)
			assert.Contains(t, text, "kể cả", id) // a pensioner whose pension is suspended
			assert.Contains(t, text, "25.300.000 đồng", id)
		}
		under := answer(t, kb, "funeral-grant-under-60-months", day)
		first, _, _ := strings.Cut(under, "\n\n")
		assert.NotContains(t, first, "Không có trợ cấp mai táng", "the answer starts with what may still be due")
		assert.Contains(t, first, "vẫn được trợ cấp mai táng")
	})
	t.Run("the funeral grant before 07/2026 with its period", func(t *testing.T) {
		text := answer(t, kb, "funeral-grant-amount", day)
		assert.Contains(t, text, "Người mất từ 01/7/2024 đến 30/6/2026 thì trợ cấp là 23.400.000 đồng (10 × 2.340.000 đồng)")
		assert.NotContains(t, text, "Mất trước 01/7/2026: 23.400.000")
	})
	t.Run("support cap under Decree 134/2015 and what is open", func(t *testing.T) {
		text := answer(t, kb, "support-max-120-months", day)
		assert.Contains(t, text, "Nghị định 134/2015, hỗ trợ từ 01/01/2018) cũng chỉ hỗ trợ không quá 10 năm")
		assert.Contains(t, text, "Chưa rõ những tháng đã được hỗ trợ trước 01/7/2025 có được tính vào giới hạn 120 tháng hiện nay")
		assert.Contains(t, answer(t, kb, "resume-after-gap", day), "Quy định trước 01/7/2025 cũng giới hạn hỗ trợ không quá 10 năm")
	})
	t.Run("the lump-sum example has its period and the coefficients' year", func(t *testing.T) {
		for _, id := range []string{"voluntary-si-interest-savings", "lump-sum-amount"} {
			text := answer(t, kb, id, day)
			assert.Contains(t, text, "từ 01/2021 đến 12/2025", id)
			assert.Contains(t, text, "hệ số điều chỉnh năm 2026", id)
			assert.Contains(t, text, "14.083.200 đồng", id)
		}
	})
	t.Run("maternity amount hedged like the claim", func(t *testing.T) {
		const hedge = "Quy định về thai sản có thể được điều chỉnh theo Luật Dân số mới"
		assert.Contains(t, answer(t, kb, "maternity-support-claim", day), hedge)
		assert.Contains(t, answer(t, kb, "maternity-support-amount", day), hedge)
	})
	t.Run("withdrawal cases include especially severe disability", func(t *testing.T) {
		for _, id := range []string{"cancel-voluntary-si", "lump-sum-who-can-withdraw", "voluntary-si-interest-savings"} {
			assert.Contains(t, answer(t, kb, id, day), "khuyết tật đặc biệt nặng", id)
		}
	})
	t.Run("medium-confidence statements are hedged", func(t *testing.T) {
		// facts §7: the BHXH cơ sở structure and the collection agents' name are medium.
		assert.Contains(t, answer(t, kb, "no-district-bhxh", day), "Theo thông tin hiện có, BHXH huyện cũ đã thành BHXH cơ sở")
		assert.Contains(t, answer(t, kb, "contact-bhxh-office", day), "Theo thông tin hiện có, đây là chi nhánh")
		reg := answer(t, kb, "where-to-register-voluntary-si", day)
		assert.Contains(t, reg, "theo văn bản năm 2025 của BHXH, nay gọi là \"tổ chức hỗ trợ phát triển đối tượng\"")
		assert.Contains(t, reg, "theo thông tin hiện có là chi nhánh")
	})
	t.Run("no guess in any source line", func(t *testing.T) {
		for _, e := range kb.Entries() {
			for _, s := range e.Sources {
				assert.Empty(t, content.Guess(s), "%s: %q", e.File, s)
			}
		}
	})
}

// No answer types an amount outside a dated example, and every placeholder
// computes, today's rules and the planned 2027 ones alike.
func TestShippedAnswersNameTheirAmounts(t *testing.T) {
	kb := shippedContent(t)
	for _, d := range []string{"2026-12-06", "2026-12-20", "2027-01-01", "2027-01-05", "2027-07-01"} {
		errs, warns := kb.CheckAmounts(kb.amounts, onDay(t, d))
		assert.Empty(t, errs, d)
		assert.Empty(t, warns, d)
	}
}
