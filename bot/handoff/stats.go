package handoff

// FunnelRow is one line of the lead funnel: for a province and an agent,
// how many people asked to be called back (leads created), how many were
// handed off (a card reached a chat), contacted and enrolled. Counts cover
// the leads still kept (the retention period).
type FunnelRow struct {
	ProvinceID    string `json:"province"`
	AgentID       string `json:"agent"`
	Asked         int    `json:"asked"`
	HandedOff     int    `json:"handed_off"`
	Contacted     int    `json:"contacted"`
	Enrolled      int    `json:"enrolled"`
	NotInterested int    `json:"not_interested"`
}

// Add adds the counts of r to f (a province's or the grand total).
func (f *FunnelRow) Add(r FunnelRow) {
	f.Asked += r.Asked
	f.HandedOff += r.HandedOff
	f.Contacted += r.Contacted
	f.Enrolled += r.Enrolled
	f.NotInterested += r.NotInterested
}
