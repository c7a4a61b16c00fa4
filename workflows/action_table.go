package workflows

// The one table of actions: names, help, the stages each is valid in, its
// own payload fields and the field its note fills. Decoding, validation,
// stage rules and svcctl's commands and flags are all driven by it.

// FieldKind says how an action's own field is written and checked.
type FieldKind int

// Field kinds.
const (
	FieldText     FieldKind = iota // free text, several lines allowed
	FieldLine                      // one line of text
	FieldTime                      // RFC 3339 instant
	FieldInt                       // whole number
	FieldScore                     // score 1-5
	FieldBool                      // true or false
	FieldPriority                  // urgent | normal
)

// Field is one of an action's own payload fields.
type Field struct {
	Name     string // JSON name, e.g. expected_delivery
	Kind     FieldKind
	Required bool
	Usage    string // one line of help (svcctl flag)
}

// ActionSpec describes one action.
type ActionSpec struct {
	Name   string   // update and signal name (snake_case)
	Short  string   // one line of help
	Stages []string // stages the action is valid in
	Fields []Field  // the action's own fields (beyond action_id, actor, note)
	// NoteFills names the text field that the note fills when the field
	// itself is absent (a resolution, a reason, a comment).
	NoteFills    string
	NoteRequired bool
	// Care marks CustomerCare's action (not a ServiceRequest action).
	Care bool
}

var reasonField = Field{Name: "reason", Kind: FieldText, Usage: "reason"}

func required(f Field) Field { f.Required = true; return f }

// actionTable lists every action in process order.
var actionTable = []ActionSpec{
	{Name: ActionRespond, Short: "Acknowledge the request to the customer (first response)", Stages: []string{StageReceived}},
	{Name: ActionSubmitSheet, Short: "Issue the requirement confirmation sheet", Stages: []string{StageAnalysis}, Fields: []Field{
		{Name: "description", Kind: FieldText, Required: true, Usage: "what the customer needs"},
		{Name: "goal", Kind: FieldText, Required: true, Usage: "goal of the work"},
		{Name: "expected_delivery", Kind: FieldTime, Required: true, Usage: "committed delivery time (RFC 3339, or +DURATION from now)"},
		{Name: "customer_duties", Kind: FieldText, Usage: "what the customer must provide"},
	}},
	{Name: ActionConfirmSheet, Short: "Record the customer's confirmation of the sheet", Stages: []string{StageAwaitingConfirmation}},
	{Name: ActionRejectSheet, Short: "Record the customer's rejection of the sheet", Stages: []string{StageAwaitingConfirmation},
		Fields: []Field{required(reasonField)}, NoteFills: "reason"},
	{Name: ActionApproveReview, Short: "Approve the cross-department review of a complex plan", Stages: []string{StagePlanning}},
	{Name: ActionAgreePlan, Short: "Record the customer's agreement to the solution plan", Stages: []string{StagePlanning}},
	{Name: ActionProgress, Short: "Note progress on the work", Stages: []string{StageInProgress, StageRework}, NoteRequired: true},
	{Name: ActionAnnounceDelay, Short: "Announce a delay with a new delivery time", Stages: []string{StageInProgress, StageRework}, Fields: []Field{
		{Name: "new_delivery", Kind: FieldTime, Required: true, Usage: "new delivery time (RFC 3339, or +DURATION from now)"},
		reasonField,
	}, NoteFills: "reason"},
	{Name: ActionDeliver, Short: "Deliver the work for acceptance", Stages: []string{StageInProgress, StageRework}},
	{Name: ActionAcceptDelivery, Short: "Record the customer's acceptance of the delivery", Stages: []string{StageAwaitingAcceptance}},
	{Name: ActionRejectDelivery, Short: "Record the customer's rejection of the delivery (rework)", Stages: []string{StageAwaitingAcceptance},
		Fields: []Field{required(reasonField)}, NoteFills: "reason"},
	{Name: ActionRecordFollowUp, Short: "Record the follow-up visit: four scores 1-5 and a comment", Stages: []string{StageFollowUp}, Fields: []Field{
		{Name: "response_speed", Kind: FieldScore, Required: true, Usage: "score 1-5"},
		{Name: "resolution", Kind: FieldScore, Required: true, Usage: "score 1-5"},
		{Name: "attitude", Kind: FieldScore, Required: true, Usage: "score 1-5"},
		{Name: "professionalism", Kind: FieldScore, Required: true, Usage: "score 1-5"},
		{Name: "comment", Kind: FieldText, Usage: "customer's comment"},
		{Name: "solved", Kind: FieldBool, Usage: "the problem is solved"},
	}, NoteFills: "comment"},
	{Name: ActionComplain, Short: "Open a complaint", Stages: openStages, Fields: []Field{required(reasonField)}, NoteFills: "reason"},
	{Name: ActionResolveComplaint, Short: "Resolve a complaint", Stages: openStages, Fields: []Field{
		{Name: "complaint_id", Kind: FieldInt, Usage: "complaint number (default: the oldest open one)"},
		{Name: "resolution_text", Kind: FieldText, Required: true, Usage: "how the complaint was resolved"},
	}, NoteFills: "resolution_text"},
	{Name: ActionRequestInfo, Short: "Ask the customer for information (pauses the agent-side clocks)",
		Stages: []string{StageAnalysis, StagePlanning, StageInProgress, StageRework}, Fields: []Field{required(reasonField)}, NoteFills: "reason"},
	{Name: ActionProvideInfo, Short: "Record the customer's answer (resumes the clocks)", Stages: openStages},
	{Name: ActionReassign, Short: "Reassign to another group or assignee", Stages: openStages, Fields: []Field{
		{Name: "group", Kind: FieldLine, Usage: "service group"},
		{Name: "assignee", Kind: FieldLine, Usage: "assignee"},
	}},
	{Name: ActionReprioritize, Short: "Change the priority (deadlines recomputed)", Stages: openStages, Fields: []Field{
		{Name: "priority", Kind: FieldPriority, Required: true, Usage: "urgent|normal"},
	}},
	{Name: ActionCancel, Short: "Cancel the request", Stages: openStages, Fields: []Field{reasonField}, NoteFills: "reason"},
	{Name: ActionNote, Short: "Add a note to the timeline", Stages: openStages, NoteRequired: true},
	{Name: ActionApplyPolicy, Short: "Re-select the SLA policy and calendar from the current config (running deadlines recomputed)", Stages: openStages},
	{Name: ActionStopCare, Short: "Stop a VIP customer's monthly care letters", Care: true},
}

// actionByName indexes actionTable.
var actionByName = func() map[string]*ActionSpec {
	m := make(map[string]*ActionSpec, len(actionTable))
	for i := range actionTable {
		m[actionTable[i].Name] = &actionTable[i]
	}
	return m
}()

// ActionNames lists every ServiceRequest action in process order.
var ActionNames = func() []string {
	var out []string
	for _, s := range actionTable {
		if !s.Care {
			out = append(out, s.Name)
		}
	}
	return out
}()

// Actions returns the table of ServiceRequest actions, in process order.
func Actions() []ActionSpec {
	var out []ActionSpec
	for _, s := range actionTable {
		if !s.Care {
			out = append(out, s)
		}
	}
	return out
}

// LookupAction returns the spec of action name.
func LookupAction(name string) (ActionSpec, bool) {
	s, ok := actionByName[name]
	if !ok {
		return ActionSpec{}, false
	}
	return *s, true
}

// ValidActionName reports whether name is a ServiceRequest action.
func ValidActionName(name string) bool {
	s, ok := actionByName[name]
	return ok && !s.Care
}

func (s ActionSpec) field(name string) (Field, bool) {
	for _, f := range s.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}
