from enum import StrEnum


class CreditDebitIndicator(StrEnum):
    CREDIT = "Credit"
    CREDIT_UPPERCASE = "CREDIT"
    DEBIT = "Debit"
    DEBIT_UPPERCASE = "DEBIT"

    def __str__(self) -> str:
        return str(self.value)
