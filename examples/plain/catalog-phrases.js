// The demo catalog's own text in German and French, for the integrations the demo upgrades (Slack
// and Jira, versions 1 and 2; the descriptions are version 2's, which `npm start` publishes), and
// its categories' names. The frame translates its interface itself; the catalog's names,
// pages, fields and flows are the organization's words, so the host passes their translations as
// `phrases` (content keys: docs/locales.md), for the locale it shows. One key serves every version
// of an integration: a field keeps its key's words wherever it appears (the upgrade review names
// the running version's fields with them too).

const de = {
  "integration.slack.summary": "Alarme und eine tägliche Zusammenfassung in einem Slack-Kanal.",
  "integration.slack.description":
    "Senden Sie die Ereignisse, die Ihr Team betreffen, sofort an **Slack**.\n\n- Alarme aus jedem Webhook, in einem eigenen Kanal\n- Eine tägliche Zusammenfassung nach Ihrem Zeitplan, in einem eigenen Kanal\n- Eine Begrüßung, sobald die Integration aktiviert ist\n\nZur Formatierung siehe die [Slack-API-Dokumentation](https://api.slack.com/messaging).",
  "configPage.slack.connect.title": "Slack verbinden",
  "configPage.slack.connect.description": "Melden Sie sich bei dem Slack-Workspace an, in den die Nachrichten gehen.",
  "configVar.slack.slackConnection.label": "Slack-Workspace",
  "configPage.slack.notifications.title": "Benachrichtigungen",
  "configVar.slack.channel.label": "Kanal",
  "configVar.slack.channel.description": "Der Kanal für Alarme und die Zusammenfassung. Für einen privaten Kanal laden Sie die App zuerst ein.",
  "configVar.slack.alertChannel.label": "Alarmkanal",
  "configVar.slack.alertChannel.description": "Der Kanal, in den Alarme gehen. Für einen privaten Kanal laden Sie die App zuerst ein.",
  "configVar.slack.digestChannel.label": "Kanal für die Zusammenfassung",
  "configVar.slack.digestChannel.description": "Wohin die tägliche Zusammenfassung geht, z. B. #daily-digest. Für einen privaten Kanal laden Sie die App zuerst ein.",
  "configVar.slack.events.label": "Zu postende Ereignisse",
  "configVar.slack.mentionChannel.label": "Bei Alarmen @channel erwähnen",
  "configVar.slack.digestSchedule.label": "Tägliche Zusammenfassung",
  "configVar.slack.digestSchedule.description": "Wann die Zusammenfassung gepostet wird; „Keine“ schaltet sie ab.",
  "flow.slack.post-alert.name": "Alarm posten",
  "flow.slack.post-alert.description": "POST `{ \"message\": \"…\" }` postet die Nachricht in den Kanal.",
  "flow.slack.daily-digest.name": "Tägliche Zusammenfassung",
  "flow.slack.welcome.name": "Begrüßung",

  "integration.jira.summary": "Jira-Vorgänge aus Ereignissen, mit Ihren Labels und Prioritäten.",
  "integration.jira.description":
    "Machen Sie eingehende Ereignisse zu **Jira**-Vorgängen im Projekt Ihrer Wahl.\n\n1. Mit Ihrer Atlassian-E-Mail und einem API-Token verbinden\n2. Projekt, Arbeitstyp, Priorität und Labels wählen\n3. Ereignisse per POST an die Webhook-URL senden\n\nBei der Aktivierung wird ein Jira-Webhook registriert, beim Entfernen gelöscht.",
  "configPage.jira.connect.title": "Jira verbinden",
  "configVar.jira.site.label": "Jira-Site",
  "configVar.jira.jiraConnection.label": "Atlassian-Konto",
  "configVar.jira.jiraConnection.description": "Ihre Atlassian-E-Mail und ein API-Token von id.atlassian.com.",
  "configPage.jira.issues.title": "Vorgänge",
  "configVar.jira.projectKey.label": "Projekt",
  "configVar.jira.issueType.label": "Vorgangstyp",
  "configVar.jira.issueType.description": "Die Vorgangstypen des gewählten Projekts.",
  "configVar.jira.workType.label": "Arbeitstyp",
  "configVar.jira.priority.label": "Priorität",
  "configVar.jira.labels.label": "Labels",
  "configVar.jira.priorityMap.label": "Schweregrad → Jira-Priorität",
  "configVar.jira.priorityMap.description": "Ordnet den Schweregrad des Ereignisses einer Jira-Priorität zu.",
  "flow.jira.create-issue.name": "Vorgang anlegen",
  "flow.jira.create-issue.description": "POST `{ \"message\": \"…\" }` (optional mit `severity`) legt einen Vorgang an.",
  "flow.jira.register-webhook.name": "Jira-Webhook registrieren",
  "flow.jira.unregister-webhook.name": "Jira-Webhook entfernen",
  "category.Communication": "Kommunikation",
  "category.Marketing": "Marketing",
  "category.Payments": "Zahlungen",
  "category.Productivity": "Produktivität",
  "category.Project management": "Projektmanagement",
  "category.Support": "Support",
};

const fr = {
  "integration.slack.summary": "Des alertes et un récapitulatif quotidien dans un canal Slack.",
  "integration.slack.description":
    "Envoyez à **Slack**, dès qu'ils arrivent, les événements qui comptent pour votre équipe.\n\n- Des alertes depuis n'importe quel webhook, dans leur propre canal\n- Un récapitulatif quotidien à l'heure choisie, dans son propre canal\n- Un message de bienvenue dès l'activation de l'intégration\n\nPour la mise en forme, voir la [documentation de l'API Slack](https://api.slack.com/messaging).",
  "configPage.slack.connect.title": "Connecter Slack",
  "configPage.slack.connect.description": "Connectez-vous à l'espace de travail Slack qui recevra les messages.",
  "configVar.slack.slackConnection.label": "Espace de travail Slack",
  "configPage.slack.notifications.title": "Notifications",
  "configVar.slack.channel.label": "Canal",
  "configVar.slack.channel.description": "Le canal des alertes et du récapitulatif. Pour un canal privé, invitez-y d'abord l'application.",
  "configVar.slack.alertChannel.label": "Canal des alertes",
  "configVar.slack.alertChannel.description": "Le canal qui reçoit les alertes. Pour un canal privé, invitez-y d'abord l'application.",
  "configVar.slack.digestChannel.label": "Canal du récapitulatif",
  "configVar.slack.digestChannel.description": "Où va le récapitulatif quotidien, par exemple #daily-digest. Pour un canal privé, invitez-y d'abord l'application.",
  "configVar.slack.events.label": "Événements à publier",
  "configVar.slack.mentionChannel.label": "Mentionner @channel dans les alertes",
  "configVar.slack.digestSchedule.label": "Récapitulatif quotidien",
  "configVar.slack.digestSchedule.description": "Quand publier le récapitulatif ; « Aucun » le désactive.",
  "flow.slack.post-alert.name": "Publier une alerte",
  "flow.slack.post-alert.description": "Un POST `{ \"message\": \"…\" }` la publie dans le canal.",
  "flow.slack.daily-digest.name": "Récapitulatif quotidien",
  "flow.slack.welcome.name": "Message de bienvenue",

  "integration.jira.summary": "Des tickets Jira créés à partir d'événements, avec vos libellés et priorités.",
  "integration.jira.description":
    "Transformez les événements entrants en tickets **Jira** dans le projet de votre choix.\n\n1. Connectez-vous avec votre e-mail Atlassian et un jeton d'API\n2. Choisissez le projet, le type de travail, la priorité et les libellés\n3. Envoyez les événements en POST à l'URL du webhook\n\nÀ l'activation, un webhook Jira est enregistré ; il est supprimé au retrait.",
  "configPage.jira.connect.title": "Connecter Jira",
  "configVar.jira.site.label": "Site Jira",
  "configVar.jira.jiraConnection.label": "Compte Atlassian",
  "configVar.jira.jiraConnection.description": "Votre e-mail Atlassian et un jeton d'API créé sur id.atlassian.com.",
  "configPage.jira.issues.title": "Tickets",
  "configVar.jira.projectKey.label": "Projet",
  "configVar.jira.issueType.label": "Type de ticket",
  "configVar.jira.issueType.description": "Les types de ticket du projet choisi.",
  "configVar.jira.workType.label": "Type de travail",
  "configVar.jira.priority.label": "Priorité",
  "configVar.jira.labels.label": "Libellés",
  "configVar.jira.priorityMap.label": "Gravité → priorité Jira",
  "configVar.jira.priorityMap.description": "Associe la gravité de l'événement à une priorité Jira.",
  "flow.jira.create-issue.name": "Créer un ticket",
  "flow.jira.create-issue.description": "Un POST `{ \"message\": \"…\" }` (et, au besoin, `severity`) crée un ticket.",
  "flow.jira.register-webhook.name": "Enregistrer le webhook Jira",
  "flow.jira.unregister-webhook.name": "Supprimer le webhook Jira",
  "category.Communication": "Communication",
  "category.Marketing": "Marketing",
  "category.Payments": "Paiements",
  "category.Productivity": "Productivité",
  "category.Project management": "Gestion de projet",
  "category.Support": "Assistance",
};

const tables = { de, fr };

/** The catalog phrases for a locale tag (`de-AT` → German); none for English, the catalog's own language. */
export function catalogPhrases(locale) {
  return tables[String(locale).toLowerCase().split("-")[0]];
}
