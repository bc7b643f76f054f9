// Types shared by main.bicep and its modules (the linter asks for user-defined types instead of bare object/array).

@export()
@description('Resource tags.')
type tagsType = {
  @description('Tag name and value.')
  *: string
}

@export()
@description('App settings: name to value, all strings.')
type appSettingsType = {
  @description('App setting name and value.')
  *: string
}

@export()
@description('An app setting read through a Key Vault reference.')
type secretSettingType = {
  @description('App setting name the app reads, e.g. Rollback__Providers__github__GitHub__Token.')
  setting: string

  @description('Name of the secret in the deployment\'s Key Vault.')
  secretName: string
}
