package agents

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/bhxh-tn/bhxhbot/content"
)

// AgentsFile is where the agent directory lives inside the content FS.
const AgentsFile = "agents/agents.csv"

// Kind is what sort of collection point an agent is.
type Kind string

// Agent kinds.
const (
	KindPostOffice Kind = "buu-dien"     // commune post office (VNPost)
	KindCommune    Kind = "ubnd-xa"      // commune People's Committee collection point
	KindBHXH       Kind = "bhxh-co-so"   // local BHXH branch
	KindAssoc      Kind = "hoi-doan-the" // commune association (women's, farmers', youth…)
)

var kindLabels = map[Kind]string{
	KindPostOffice: "bưu điện",
	KindCommune:    "UBND xã",
	KindBHXH:       "BHXH cơ sở",
	KindAssoc:      "hội đoàn thể",
}

// Label is the kind in plain Vietnamese.
func (k Kind) Label() string { return kindLabels[k] }

// Agent is one collection point of the directory.
type Agent struct {
	ID         string
	Name       string
	Kind       Kind
	ProvinceID string
	Communes   []CommuneNames // served; the first is where the agent sits
	Address    string
	Phone      string // digits, normalised
	Hours      Hours
	Lat, Lon   float64
	ChatID     int64 // Telegram chat of the agent; 0 when none
	Active     bool
	Sample     bool // sample data shipped with the code, not a real office
	Line       int  // line in agents.csv
}

// CommuneNames is one served commune: its current name first, then former
// names or other spellings people use.
type CommuneNames struct {
	Name    string
	Aliases []string
}

// Directory is the province list and the active agents.
type Directory struct {
	*Places
	Agents   []*Agent // active agents in file order
	byID     map[string]*Agent
	communes map[string][]*Commune // province id → communes served there
}

var agentColumns = []string{"id", "name", "kind", "province", "communes", "address", "phone", "hours", "lat", "lon", "telegram_chat_id", "active", "sample"}

// Vietnam's bounding box, islands included (Trường Sa reaches 117.8°E).
const (
	minLat, maxLat = 8.1, 23.5
	minLon, maxLon = 102.1, 117.9
)

// LoadDirectory reads places/provinces.yaml and agents/agents.csv from fsys.
// Every problem is reported as "agents/agents.csv:LINE: message" in a
// *Problems error (with the province file's problems, if any); it never
// panics on bad input.
func LoadDirectory(fsys fs.FS) (*Directory, error) {
	places, err := LoadPlaces(fsys)
	if err != nil {
		return nil, err
	}
	data, err := fs.ReadFile(fsys, AgentsFile)
	if err != nil {
		return nil, content.ReadProblem(AgentsFile, err)
	}
	return parseAgents(places, data)
}

func parseAgents(places *Places, data []byte) (*Directory, error) {
	d := &Directory{Places: places, byID: map[string]*Agent{}, communes: map[string][]*Commune{}}
	var probs Problems
	if !utf8.Valid(data) {
		probs.Add(AgentsFile, 0, "tệp không phải UTF-8 (khi lưu từ bảng tính, chọn \"CSV UTF-8\")")
		return nil, probs.Err()
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff")) // BOM written by spreadsheets
	// A control character would reach an agent's card or a reply as it is.
	content.CheckControl(AgentsFile, data, &probs)
	if len(probs.List) > 0 {
		return nil, probs.Err()
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	// Excel set to Vietnamese (decimal comma) saves "CSV" with semicolons.
	firstLine, _, _ := bytes.Cut(data, []byte("\n"))
	if bytes.Count(firstLine, []byte(";")) > bytes.Count(firstLine, []byte(",")) {
		r.Comma = ';'
	}
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		probs.Add(AgentsFile, 1, "tệp trống: dòng đầu phải là tiêu đề %s", strings.Join(agentColumns, ","))
		return nil, probs.Err()
	}
	if err != nil {
		probs.Add(AgentsFile, 1, "không đọc được dòng tiêu đề: %v", err)
		return nil, probs.Err()
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, c := range agentColumns {
		if _, ok := col[c]; !ok {
			probs.Add(AgentsFile, 1, "thiếu cột %q (cần: %s)", c, strings.Join(agentColumns, ","))
		}
	}
	if len(probs.List) > 0 {
		return nil, probs.Err()
	}
	seenLine := map[string]int{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				probs.Add(AgentsFile, pe.Line, "CSV hỏng: %v", pe.Err)
			} else {
				probs.Add(AgentsFile, 0, "CSV hỏng: %v", err)
			}
			if len(probs.List) > 200 {
				break
			}
			continue
		}
		line, _ := r.FieldPos(0)
		get := func(name string) string {
			if i := col[name]; i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if strings.Join(rec, "") == "" {
			continue
		}
		if n := len(rec); n < len(header) || strings.Join(rec[len(header):], "") != "" {
			// Every later cell would be read in the wrong column.
			probs.Add(AgentsFile, line, "dòng này có %d ô, cần %d như dòng tiêu đề: thiếu hoặc thừa dấu phẩy, "+
				"hoặc một ô có dấu phẩy, chấm phẩy, xuống dòng mà không đặt trong ngoặc kép \"...\"", n, len(header))
			continue
		}
		a, ok := parseAgent(places, get, line, &probs)
		if first, dup := seenLine[a.ID]; dup && a.ID != "" {
			probs.Add(AgentsFile, line, "id %q trùng với dòng %d", a.ID, first)
			continue
		}
		seenLine[a.ID] = line
		if !ok {
			continue
		}
		if a.Active {
			d.add(a)
		}
	}
	if err := probs.Err(); err != nil {
		return nil, err
	}
	return d, nil
}

func parseAgent(places *Places, get func(string) string, line int, probs *Problems) (*Agent, bool) {
	n := len(probs.List)
	bad := func(format string, args ...any) { probs.Add(AgentsFile, line, format, args...) }
	a := &Agent{ID: get("id"), Name: get("name"), Kind: Kind(get("kind")), ProvinceID: get("province"),
		Address: get("address"), Line: line}
	if !idPattern.MatchString(a.ID) || len(a.ID) > 40 {
		bad("id %q phải là chữ thường không dấu, số và dấu gạch nối, tối đa 40 ký tự", a.ID)
	}
	if a.Name == "" {
		bad("thiếu tên (name)")
	}
	if kindLabels[a.Kind] == "" {
		bad("kind %q không có; dùng buu-dien, ubnd-xa, bhxh-co-so hoặc hoi-doan-the", a.Kind)
	}
	if _, ok := places.Province(a.ProvinceID); !ok {
		bad("tỉnh %q không có trong places/provinces.yaml (dùng id của một trong 34 tỉnh, thành phố, ví dụ hung-yen)", a.ProvinceID)
	}
	comm, err := ParseCommunes(get("communes"))
	if err != nil {
		bad("communes: %v", err)
	}
	a.Communes = comm
	if a.Address == "" {
		bad("thiếu địa chỉ (address)")
	}
	if p, err := NormalizePhone(get("phone")); err != nil {
		bad("phone %q: %v", get("phone"), err)
	} else {
		a.Phone = p
	}
	if h, err := ParseHours(get("hours")); err != nil {
		bad("hours: %v", err)
	} else {
		a.Hours = h
	}
	lat, err1 := parseCoord(get("lat"))
	lon, err2 := parseCoord(get("lon"))
	switch {
	case err1 != nil || err2 != nil:
		bad("lat/lon %q và %q phải là số thập phân, ví dụ 20.56 và 106.56", get("lat"), get("lon"))
	case lat < minLat || lat > maxLat || lon < minLon || lon > maxLon:
		bad("toạ độ %v,%v nằm ngoài Việt Nam (vĩ độ %v–%v, kinh độ %v–%v); có thể bị đảo lat/lon", lat, lon, minLat, maxLat, minLon, maxLon)
	default:
		a.Lat, a.Lon = lat, lon
	}
	if s := get("telegram_chat_id"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id == 0 {
			bad("telegram_chat_id %q phải là số (nhóm: số âm, ví dụ -1001234567890)", s)
		}
		a.ChatID = id
	}
	var ok bool
	if a.Active, ok = parseBool(get("active"), true); !ok {
		bad("active %q phải là true/false", get("active"))
	}
	if a.Sample, ok = parseBool(get("sample"), false); !ok {
		bad("sample %q phải là true/false", get("sample"))
	}
	if a.Sample && !strings.HasPrefix(a.Name, "[MẪU]") {
		bad("dòng mẫu (sample=true) phải có tên bắt đầu bằng \"[MẪU]\"")
	}
	if !a.Sample && strings.HasPrefix(a.Name, "[MẪU]") {
		bad("tên bắt đầu bằng \"[MẪU]\" nhưng sample không phải true")
	}
	return a, len(probs.List) == n
}

// parseCoord reads a decimal degree, with a decimal point or, as Vietnamese
// spreadsheets write it, a decimal comma ("20,56").
func parseCoord(s string) (float64, error) {
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err == nil && (math.IsNaN(v) || math.IsInf(v, 0)) {
		return 0, strconv.ErrSyntax
	}
	return v, err
}

func parseBool(s string, def bool) (bool, bool) {
	switch strings.ToLower(s) {
	case "":
		return def, true
	case "true", "1", "yes", "có", "x":
		return true, true
	case "false", "0", "no", "không":
		return false, true
	}
	return false, false
}

// ParseCommunes reads the communes column: communes separated by ";", each
// "current name|former name|other spelling…". The first name is the current
// official one (with its prefix, e.g. "xã Thái Thụy"); the others are what
// people still say ("huyện Thái Thụy", "Thụy Hải"). At least one commune.
func ParseCommunes(s string) ([]CommuneNames, error) {
	var out []CommuneNames
	for _, part := range strings.Split(s, ";") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		var c CommuneNames
		for i, n := range strings.Split(part, "|") {
			n = strings.TrimSpace(n)
			if PlaceKey(n) == "" {
				return nil, fmt.Errorf("tên xã trống trong %q", part)
			}
			if i == 0 {
				c.Name = n
			} else {
				c.Aliases = append(c.Aliases, n)
			}
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, errors.New("cần ít nhất một xã, phường hoặc đặc khu")
	}
	return out, nil
}

// Agent returns the active agent with that id.
func (d *Directory) Agent(id string) (*Agent, bool) {
	a, ok := d.byID[id]
	return a, ok
}

// AgentsIn returns the active agents of a province in file order.
func (d *Directory) AgentsIn(provinceID string) []*Agent {
	var out []*Agent
	for _, a := range d.Agents {
		if a.ProvinceID == provinceID {
			out = append(out, a)
		}
	}
	return out
}

// HasSample reports whether any active agent is sample data.
func (d *Directory) HasSample() bool {
	for _, a := range d.Agents {
		if a.Sample {
			return true
		}
	}
	return false
}
