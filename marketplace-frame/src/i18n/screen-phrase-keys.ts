/**
 * The keys of en-screens.ts, space-separated: a host may override a screen's phrase before that
 * screen (and its phrases) has loaded, and the override is checked at once. A test keeps this
 * equal to the keys of en-screens.ts.
 */
export const screenPhraseKeys =
  "detail.activate detail.continue detail.manage detail.flows detail.about detail.vendor " +
  "detail.category detail.notFound detail.viewerHint trigger.webhook trigger.schedule " +
  "trigger.deploy trigger.removal wizard.title wizard.reconfigureTitle wizard.step wizard.next " +
  "wizard.back wizard.cancel wizard.deploy wizard.deploying wizard.saving wizard.deployFailed " +
  "wizard.deployRetry wizard.deployed wizard.deployedWithFailure wizard.fixErrors " +
  "wizard.pageErrors wizard.noFields wizard.progress wizard.creating wizard.required " +
  "wizard.readOnly field.required field.tooShort field.tooLong field.pattern field.notNumber " +
  "field.min field.max field.invalidJson field.invalidXml field.invalidDate " +
  "field.invalidTimestamp field.duplicateKey field.emptyKey field.invalidCron " +
  "field.invalidOption field.invalid field.on field.off field.choose field.add field.remove " +
  "field.removeItem field.key field.value field.item field.timeZone field.timeZoneShown " +
  "field.language schedule.kind schedule.none schedule.interval schedule.daily schedule.weekly " +
  "schedule.cron schedule.every schedule.unit schedule.minutes schedule.hours schedule.time " +
  "schedule.day schedule.expression schedule.nextRuns schedule.noRuns connection.apiKey " +
  "connection.username connection.password connection.set connection.replace " +
  "connection.keepStored connection.connect connection.reconnect connection.pending " +
  "connection.active connection.activeAccount connection.denied connection.closed " +
  "connection.timeout connection.blocked connection.stateMismatch connection.test " +
  "connection.testing connection.testOk connection.testFailed connection.scopes instance.title " +
  "instance.status.draft instance.status.deploying instance.status.deployed " +
  "instance.status.paused instance.flows instance.webhookUrl instance.copy instance.copied " +
  "instance.copyFailed instance.curlExample instance.nextRun instance.noNextRun " +
  "instance.executions instance.noExecutions instance.noExecutionsHint instance.refresh " +
  "instance.pause instance.resume instance.reconfigure instance.deactivate " +
  "instance.confirmTitle instance.confirmBody instance.confirm instance.paused instance.resumed " +
  "instance.deleted instance.showLogs instance.hideLogs instance.duration instance.started " +
  "instance.noLogs instance.alerts instance.noAlerts instance.newAlerts instance.alertExecution " +
  "alert.execution-failed alert.execution-slow execution.running execution.succeeded execution.failed " +
  "execution.trigger.webhook execution.trigger.schedule execution.trigger.deploy " +
  "execution.trigger.removal";
