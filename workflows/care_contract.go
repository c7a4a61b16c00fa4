package workflows

import "github.com/svcflow/svcflow/internal/calendar"

// Names of the VIP care workflow.
const (
	CareWorkflowType = "CustomerCare"
	CareIDPrefix     = "care-"
	ActionStopCare   = "stop_care"
	// CareHour is the local hour the monthly letter goes out.
	CareHour = 10
)

// CareWorkflowID is the workflow ID of a VIP customer's care: care-<customer_id>.
func CareWorkflowID(customerID string) string { return CareIDPrefix + customerID }

// CareInput starts (or continues) a customer's monthly care.
type CareInput struct {
	Customer  Customer      `json:"customer"`
	RequestID string        `json:"request_id"` // the request that enrolled the customer
	Calendar  calendar.Spec `json:"calendar"`
	LastMonth string        `json:"last_month,omitempty"` // YYYY-MM of the last letter sent
	Letters   int           `json:"letters"`
}

// CareResult is how a care workflow ended.
type CareResult struct {
	Letters int    `json:"letters"`
	Stopped bool   `json:"stopped"`
	By      string `json:"by,omitempty"`
}
