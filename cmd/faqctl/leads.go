package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"github.com/bhxh-tn/bhxhbot/bot/agents"
	"github.com/bhxh-tn/bhxhbot/calc"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/bhxh-tn/bhxhbot/bot/handoff"
	"github.com/bhxh-tn/bhxhbot/content"
)

// cmdLeads is "faqctl leads export|stats": the call-back requests for offices
// that work from spreadsheets, and the funnel per province and agent.
func cmdLeads(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		leadsUsage(stderr)
		return 2
	}
	switch args[0] {
	case "export":
		return leadsExport(ctx, args[1:], stdout, stderr)
	case "stats":
		return leadsStats(ctx, args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "faqctl leads: không có lệnh %q\n", args[0])
	leadsUsage(stderr)
	return 2
}

func leadsUsage(w io.Writer) {
	fmt.Fprintln(w, "Cách dùng:")
	fmt.Fprintln(w, "  faqctl leads export [--since YYYY-MM-DD] [--province ID|TÊN] [-db FILE]   CSV các yêu cầu gọi lại (tỉnh cũ như Thái Bình cũng được)")
	fmt.Fprintln(w, "  faqctl leads stats [--since YYYY-MM-DD] [--json] [-db FILE]           phễu: hỏi → đã chuyển → đã liên hệ → đã tham gia")
	fmt.Fprintln(w, "  FILE: tệp SQLite hoặc URL postgres://…; mặc định $BHXHBOT_DB hoặc data/bhxhbot.db")
}

func leadsFlags(name string, stderr io.Writer) (*flag.FlagSet, *string, *string) {
	fs := flag.NewFlagSet("leads "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", defaultDB(), dbFlagHelp)
	since := fs.String("since", "", "chỉ lấy yêu cầu từ ngày này (YYYY-MM-DD, giờ Việt Nam)")
	return fs, dbPath, since
}

// resolveProvince turns --province into a province id: the id itself, the
// name as staff write it ("Hưng Yên") or a former province ("Thái Bình",
// whose leads are under Hưng Yên since 01/07/2025). "" stays "" (all).
func resolveProvince(s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", nil
	}
	places, err := agents.LoadPlaces(content.FS())
	if err != nil {
		return "", err
	}
	if p, ok := places.Province(strings.TrimSpace(s)); ok {
		return p.ID, nil
	}
	if p, ok := places.FindProvince(s); ok {
		return p.ID, nil
	}
	return "", fmt.Errorf("--province: tỉnh %q không có trong danh sách 34 tỉnh, thành phố (dùng id như hung-yen, hoặc tên như \"Hưng Yên\")", s)
}

func parseSince(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, calc.Vietnam)
	if err != nil {
		return time.Time{}, fmt.Errorf("--since %q phải có dạng YYYY-MM-DD", s)
	}
	return t, nil
}

func leadsExport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs, dbPath, sinceText := leadsFlags("export", stderr)
	province := fs.String("province", "", "chỉ một tỉnh: id (hung-yen), tên (Hưng Yên) hoặc tỉnh cũ (Thái Bình)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	since, err := parseSince(*sinceText)
	if err != nil {
		fmt.Fprintln(stderr, "faqctl leads export:", err)
		return 2
	}
	provID, err := resolveProvince(*province)
	if err != nil {
		fmt.Fprintln(stderr, "faqctl leads export:", err)
		return 2
	}
	st, err := openBotDB(ctx, *dbPath)
	if err != nil {
		fmt.Fprintln(stderr, "faqctl leads export:", err)
		return 1
	}
	defer st.Close()
	leads, err := st.ExportLeads(ctx, since, provID)
	if err != nil {
		fmt.Fprintln(stderr, "faqctl leads export:", err)
		return 1
	}
	if err := writeLeadsCSV(stdout, leads); err != nil {
		fmt.Fprintln(stderr, "faqctl leads export:", err)
		return 1
	}
	fmt.Fprintf(stderr, "%d yêu cầu. Tệp có dữ liệu cá nhân (tên, số điện thoại): chỉ dùng để gọi lại, không chia sẻ, xoá khi xong.\n", len(leads))
	return 0
}

var exportHeader = []string{"id", "tao_luc", "tinh", "dai_ly", "xa_phuong", "ten", "dien_thoai", "da_hoi_tinh",
	"muon_goi_luc", "trang_thai", "gioi_thieu_boi", "phien_ban_dong_y", "dong_y_luc", "da_lien_he_luc", "da_tham_gia_luc"}

// utf8BOM starts the export so that Excel on Windows reads the file as
// UTF-8 (without it, Vietnamese names and communes come out garbled).
const utf8BOM = "\ufeff"

func writeLeadsCSV(w io.Writer, leads []handoff.Lead) error {
	if _, err := io.WriteString(w, utf8BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(exportHeader); err != nil {
		return err
	}
	for _, l := range leads {
		rec := []string{strconv.FormatInt(l.ID, 10), csvTime(l.CreatedAt), l.ProvinceID, l.AgentID, l.Commune, l.Name,
			exportPhone(l.Phone), l.Context, l.PreferredTime, string(l.Status), l.Attribution, l.ConsentVersion, csvTime(l.ConsentAt),
			csvTime(l.ContactedAt), csvTime(l.EnrolledAt)}
		for i := range rec {
			rec[i] = csvSafe(rec[i])
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// exportPhone groups a Vietnamese number ("0912 345 678") so that a
// spreadsheet keeps it as text with its leading zero.
func exportPhone(p string) string {
	if d, err := agents.NormalizePhone(p); err == nil {
		return agents.FormatPhone(d)
	}
	return p
}

func csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(calc.Vietnam).Format("2006-01-02 15:04")
}

// csvSafe stops a spreadsheet from running text people typed as a formula
// (a name or question starting with "=", "+", "-", "@").
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func leadsStats(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs, dbPath, sinceText := leadsFlags("stats", stderr)
	asJSON := fs.Bool("json", false, "in JSON")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	since, err := parseSince(*sinceText)
	if err != nil {
		fmt.Fprintln(stderr, "faqctl leads stats:", err)
		return 2
	}
	st, err := openBotDB(ctx, *dbPath)
	if err != nil {
		fmt.Fprintln(stderr, "faqctl leads stats:", err)
		return 1
	}
	defer st.Close()
	rows, err := st.LeadFunnel(ctx, since)
	if err != nil {
		fmt.Fprintln(stderr, "faqctl leads stats:", err)
		return 1
	}
	if err := writeFunnel(stdout, rows, *asJSON); err != nil {
		fmt.Fprintln(stderr, "faqctl leads stats:", err)
		return 1
	}
	return 0
}

// funnelReport is the JSON shape of "leads stats --json".
type funnelReport struct {
	Rows      []handoff.FunnelRow          `json:"rows"`
	Provinces map[string]handoff.FunnelRow `json:"provinces"`
	Total     handoff.FunnelRow            `json:"total"`
}

func writeFunnel(w io.Writer, rows []handoff.FunnelRow, asJSON bool) error {
	rep := funnelReport{Rows: rows, Provinces: map[string]handoff.FunnelRow{}}
	if rep.Rows == nil {
		rep.Rows = []handoff.FunnelRow{}
	}
	var order []string
	for _, r := range rows {
		p, ok := rep.Provinces[r.ProvinceID]
		if !ok {
			order = append(order, r.ProvinceID)
		}
		p.ProvinceID = r.ProvinceID
		p.Add(r)
		rep.Provinces[r.ProvinceID] = p
		rep.Total.Add(r)
	}
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "tỉnh\tđại lý\thỏi\tđã chuyển\tđã liên hệ\tđã tham gia\tkhông quan tâm\t")
	line := func(p, a string, r handoff.FunnelRow) {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t\n", p, a, r.Asked, r.HandedOff, r.Contacted, r.Enrolled, r.NotInterested)
	}
	for _, p := range order {
		for _, r := range rows {
			if r.ProvinceID == p {
				line(p, r.AgentID, r)
			}
		}
		line(p, "(cả tỉnh)", rep.Provinces[p])
	}
	line("TỔNG", "", rep.Total)
	if err := tw.Flush(); err != nil {
		return err
	}
	if rep.Total.Asked > 0 {
		fmt.Fprintf(w, "Tỉ lệ: đã chuyển %d%%, đã liên hệ %d%%, đã tham gia %d%% số người hỏi.\n",
			pct(rep.Total.HandedOff, rep.Total.Asked), pct(rep.Total.Contacted, rep.Total.Asked), pct(rep.Total.Enrolled, rep.Total.Asked))
	}
	return nil
}

func pct(a, b int) int {
	if b == 0 {
		return 0
	}
	return a * 100 / b
}
