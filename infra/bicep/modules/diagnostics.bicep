// Diagnostic settings are the same everywhere: every log category (the allLogs group) and the resource's metrics to
// the deployment's Log Analytics workspace. Exported so each module states it in one line per resource.

@export()
@description('The properties of a diagnostic setting that sends to a Log Analytics workspace.')
type workspaceDiagnosticsType = {
  workspaceId: string
  logs: {
    categoryGroup: string
    enabled: bool
  }[]
  metrics: {
    category: string
    enabled: bool
  }[]
}

@export()
@description('All logs and the given metric category (AllMetrics; storage services call theirs Transaction) to the workspace.')
func toWorkspace(workspaceId string, metricCategory string) workspaceDiagnosticsType => {
  workspaceId: workspaceId
  logs: [
    {
      categoryGroup: 'allLogs'
      enabled: true
    }
  ]
  metrics: [
    {
      category: metricCategory
      enabled: true
    }
  ]
}
