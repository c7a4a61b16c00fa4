package config

// parseIntake checks intake.* (starter serve and the start input's bounds).
func parseIntake(ps *problems, in Intake) IntakeSettings {
	s := IntakeSettings{Listen: in.Listen, Token: in.Token, AllowAnonymous: in.AllowAnonymous}
	checkHostPort(ps, "intake.listen", in.Listen, false)
	if n, err := ParseSize(in.MaxBody); err != nil {
		ps.add("intake.max_body", in.MaxBody, "%v", err)
	} else if n <= 0 {
		ps.add("intake.max_body", in.MaxBody, "must be more than 0")
	} else {
		s.MaxBody = n
	}
	s.MaxClockSkew = parsePositiveDuration(ps, "intake.max_clock_skew", in.MaxClockSkew)
	s.MaxBackdate = parsePositiveDuration(ps, "intake.max_backdate", in.MaxBackdate)
	return s
}
