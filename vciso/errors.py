"""Domain errors: one type per kind of failure, each with a message a consultant understands."""

from __future__ import annotations


class VcisoError(Exception):
    """Base class of every error the CLI and the UI show to a person as one clear line."""


class QuestionnaireError(VcisoError):
    """A questionnaire file is malformed; carries every problem found, each located."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = list(problems)
        first = self.problems[0] if self.problems else "invalid questionnaire"
        more = f" (and {len(self.problems) - 1} more problems)" if len(self.problems) > 1 else ""
        super().__init__(f"{source}: {first}{more}")


class QuestionnaireNotFound(VcisoError):
    """No questionnaire with that id in the library."""


class UnknownTag(VcisoError):
    """No question of the questionnaire carries the tag asked for (e.g. an implementation group)."""


class ClientNotFound(VcisoError):
    """No client with that name or id in the workspace."""


class AssessmentNotFound(VcisoError):
    """No assessment with that id or name for the client."""


class ClientFileCorrupt(VcisoError):
    """A client file is damaged, truncated or not a vCISO client file at all."""


class ClientFileLocked(VcisoError):
    """A client file is busy in another process for longer than we are willing to wait."""


class AssessmentFinal(VcisoError):
    """The assessment is final: it can be read and exported, and changed only after it is reopened."""


class ClientFileTooNew(VcisoError):
    """A client file was written by a newer version: it may be read, never changed by this one."""


class StorageError(VcisoError):
    """The disk or folder refused to store a change (input/output error); nothing was saved."""


class DiskFull(StorageError):
    """No space is left on the disk that holds the file; nothing was saved."""


class ReadOnlyStorage(StorageError):
    """The file or its folder cannot be written to; nothing was saved."""


class OutputRefused(VcisoError):
    """An export was pointed at a client file or into a workspace's trash; nothing was written."""


class ProtectionError(VcisoError):
    """A deliverable cannot be protected with a password (an empty one, a kind that cannot, a password file
    that cannot be read); nothing was written. Its message never holds the password."""


class BackupInvalid(VcisoError):
    """A backup to restore is not a vCISO backup, or is damaged (a copy does not match its SHA-256)."""


class EvidenceError(VcisoError):
    """An evidence file cannot be attached, found or exported (too large, missing, changed, damaged)."""


class InvalidAnswer(VcisoError):
    """An answer does not fit the question (unknown level, N/A without a reason, ...)."""


class InvalidClientName(VcisoError):
    """A client name cannot be used (empty, or only characters that cannot name a file)."""


class ImportProblem(VcisoError):
    """An answers or questionnaire file to import is unusable; carries located problems."""

    def __init__(self, message: str, problems: list[str] | None = None):
        self.problems = list(problems or [])
        super().__init__(message)


class MappingError(VcisoError):
    """A mapping (crosswalk) file is malformed or cannot be used; carries every problem found, each located."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = list(problems)
        first = self.problems[0] if self.problems else "invalid mapping"
        more = f" (and {len(self.problems) - 1} more problems)" if len(self.problems) > 1 else ""
        super().__init__(f"{source}: {first}{more}")


class FrameworkNotFound(VcisoError):
    """No questionnaire of the library and no mapping names that framework, or no chain of mappings
    leads to it from the assessment's questionnaire."""


class ClientFileEncrypted(VcisoError):
    """A client file is encrypted and no passphrase was given to unlock it (it is listed as "locked")."""


class WrongPassphrase(ClientFileEncrypted):
    """The passphrase given does not unlock the encrypted client file; nothing was read or written."""
