from enum import StrEnum


class RequestStatus(StrEnum):
    INVALID_REQUEST = "INVALID_REQUEST"
    MORE_SIGNATURES_NEEDED = "MORE_SIGNATURES_NEEDED"
    SUCCESSFUL_REQUEST = "SUCCESSFUL_REQUEST"

    def __str__(self) -> str:
        return str(self.value)
