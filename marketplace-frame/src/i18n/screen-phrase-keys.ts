/**
 * The keys of en-screens.ts: a host may override a screen's phrase before that screen (and its
 * phrases) has loaded, and the override is checked at once. This list ships with the first
 * route, so it is written compactly: space-separated groups `prefix:rest,rest` for the keys
 * `prefix.rest`, in en-screens.ts order. A test keeps it equal to the keys of en-screens.ts.
 */
export const screenPhraseKeys =
  "detail:activate,continue,manage,flows,about,vendor,category,notFound,viewerHint " +
  "trigger:webhook,schedule,deploy,removal " +
  "wizard:title,reconfigureTitle,step,next,back,cancel,deploy,deploying,saving,deployFailed," +
  "deployRetry,deployed,deployedWithFailure,fixErrors,pageErrors,noFields,progress,creating," +
  "required,readOnly " +
  "field:required,tooShort,tooLong,pattern,notNumber,min,max,invalidJson,invalidXml," +
  "invalidDate,invalidTimestamp,duplicateKey,emptyKey,invalidCron,invalidOption,invalid,on," +
  "off,choose,add,remove,removeItem,key,value,item,timeZone,timeZoneShown,language " +
  "schedule:kind,none,interval,daily,weekly,cron,every,unit,minutes,hours,time,day," +
  "expression,nextRuns,noRuns " +
  "connection:apiKey,username,password,set,replace,keepStored,connect,reconnect,pending," +
  "active,activeAccount,denied,closed,timeout,blocked,stateMismatch,test,testing,testOk," +
  "testFailed,scopes " +
  "instance:title,status.draft,status.deploying,status.deployed,status.paused,flows," +
  "webhookUrl,copy,copied,copyFailed,curlExample,nextRun,noNextRun,executions,noExecutions," +
  "noExecutionsHint,refresh,pause,resume,reconfigure,deactivate,confirmTitle,confirmBody," +
  "confirm,paused,resumed,deleted,showLogs,hideLogs,duration,started,noLogs,alerts,noAlerts," +
  "newAlerts,alertExecution " +
  "alert:execution-failed,execution-slow " +
  "execution:running,succeeded,failed,trigger.webhook,trigger.schedule,trigger.deploy," +
  "trigger.removal";

/** The keys, expanded: `detail:activate,continue` → `detail.activate`, `detail.continue`. */
export function screenPhraseKeyList(): string[] {
  return screenPhraseKeys.split(" ").flatMap((group) => {
    const [prefix, rest] = group.split(":");
    return rest.split(",").map((key) => `${prefix}.${key}`);
  });
}
