from enum import StrEnum


class BalanceState(StrEnum):
    IN_CREDIT = "IN_CREDIT"
    IN_DEBIT = "IN_DEBIT"

    def __str__(self) -> str:
        return str(self.value)
