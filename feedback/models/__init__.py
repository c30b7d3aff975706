"""Every table of Écho, one module per subject. Feedback → Issue → Learning is the backbone.

Import models from here (`from feedback.models import Feedback`): every module is loaded, so
relationships between them resolve.
"""

from feedback.models.adoption import AdoptionWeek
from feedback.models.base import (
    ExportJobStatus,
    FeedbackKind,
    ImportJobStatus,
    IssueStatus,
    LearningStatus,
    Priority,
    Role,
    SentimentLabel,
    SiteKind,
    ThemeSource,
    UTCDateTime,
    WriterRole,
    new_ref,
    str_enum,
)
from feedback.models.feedback import Feedback, FeedbackTheme, ObservationDetail, Theme
from feedback.models.issues import (
    Issue,
    IssueStatusChange,
    Learning,
    ReportNote,
    issue_theme,
    learning_feedback,
    learning_issue,
    learning_theme,
)
from feedback.models.notifications import (
    EstablishmentWebhook,
    IssueAlert,
    IssueAlertKind,
    Notification,
    NotificationChannel,
    NotificationKind,
    NotificationPreference,
    NotificationStatus,
    SlaSetting,
)
from feedback.models.people import (
    ApiToken,
    Establishment,
    ExternalIdentity,
    IdentityProvider,
    LoginSession,
    PasswordReset,
    Sector,
    Site,
    User,
)
from feedback.models.records import (
    AuditEntry,
    ExportJob,
    ImportJob,
    ImportMapping,
    Incident,
    TaskRun,
)
from feedback.models.summaries import (
    Cohort,
    CohortItem,
    CohortPublication,
    FeedbackRollup,
    ResponseRollup,
)
from feedback.models.surveys import (
    Campaign,
    FollowUpContact,
    SurveyAnswer,
    SurveyResponse,
    campaign_sector,
)

__all__ = [
    "AdoptionWeek", "ApiToken", "AuditEntry", "Campaign", "Cohort", "CohortItem",
    "CohortPublication",
    "Establishment", "ExportJob", "ExportJobStatus", "ExternalIdentity", "Feedback",
    "FeedbackKind", "FeedbackRollup", "FeedbackTheme",
    "FollowUpContact", "IdentityProvider", "ImportJob", "ImportJobStatus", "ImportMapping",
    "Incident", "Issue", "IssueStatus", "IssueStatusChange", "Learning", "LearningStatus",
    "LoginSession",
    "ObservationDetail", "PasswordReset", "Priority", "ReportNote", "ResponseRollup", "Role",
    "Sector", "SentimentLabel", "Site", "SiteKind", "SurveyAnswer", "SurveyResponse", "Theme",
    "ThemeSource", "User", "UTCDateTime", "WriterRole", "campaign_sector", "issue_theme",
    "learning_feedback", "learning_issue", "learning_theme", "new_ref", "str_enum",
    "EstablishmentWebhook", "Notification", "NotificationChannel", "NotificationKind",
    "NotificationPreference", "NotificationStatus", "IssueAlert", "IssueAlertKind", "SlaSetting",
    "TaskRun",
]
