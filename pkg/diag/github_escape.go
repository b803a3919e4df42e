package diag

// EscapeGitHubData escapes the message of a GitHub Actions workflow command
// (`::error ...::MESSAGE`) as @actions/core does: %, CR and LF.
func EscapeGitHubData(s string) string { return escapeGitHubData(s) }

// EscapeGitHubProperty escapes a property value of a workflow command
// (`file=...,line=...`): %, CR, LF, ':' and ','.
func EscapeGitHubProperty(s string) string { return escapeGitHubProperty(s) }
