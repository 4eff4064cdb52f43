"""Contains all the data models used in inputs/outputs"""

from .ack_result import AckResult
from .ack_status import AckStatus
from .acknowledgement import Acknowledgement
from .activated_device import ActivatedDevice
from .activation_code import ActivationCode
from .activation_code_create import ActivationCodeCreate
from .amount_discount import AmountDiscount
from .approval_dispute import ApprovalDispute
from .approval_review import ApprovalReview
from .attempt import Attempt
from .audit_event import AuditEvent
from .audit_event_page import AuditEventPage
from .audit_event_payload import AuditEventPayload
from .audit_list_events_order import AuditListEventsOrder
from .audit_range import AuditRange
from .bas import Bas
from .bas_adjustment import BasAdjustment
from .bas_label import BasLabel
from .bas_tax_basis import BasTaxBasis
from .batch import Batch
from .batch_operations_item import BatchOperationsItem
from .batch_result import BatchResult
from .bridge_token import BridgeToken
from .bridge_token_create import BridgeTokenCreate
from .bridge_token_created import BridgeTokenCreated
from .bridge_token_page import BridgeTokenPage
from .bridge_token_revocation import BridgeTokenRevocation
from .bridge_token_rotation import BridgeTokenRotation
from .business import Business
from .business_out import BusinessOut
from .business_region import BusinessRegion
from .card_payment import CardPayment
from .cash_movement import CashMovement
from .cash_movement_create import CashMovementCreate
from .cash_movement_create_kind import CashMovementCreateKind
from .cash_movement_entry import CashMovementEntry
from .cash_movement_entry_kind import CashMovementEntryKind
from .cash_movement_kind import CashMovementKind
from .cash_payment import CashPayment
from .category_mix_row import CategoryMixRow
from .chain_break_out import ChainBreakOut
from .checkout_session import CheckoutSession
from .checkpoint_out import CheckpointOut
from .checkpoint_page import CheckpointPage
from .close_request import CloseRequest
from .closed_order import ClosedOrder
from .closed_shift import ClosedShift
from .closed_shift_status import ClosedShiftStatus
from .closure_request import ClosureRequest
from .closure_request_kind import ClosureRequestKind
from .code_sign_in import CodeSignIn
from .count_amount import CountAmount
from .counted_amounts import CountedAmounts
from .daily_summary import DailySummary
from .day_summary import DaySummary
from .delivered_job import DeliveredJob
from .delivery import Delivery
from .delivery_data import DeliveryData
from .delivery_page import DeliveryPage
from .delivery_status import DeliveryStatus
from .device import Device
from .device_activation import DeviceActivation
from .device_activation_ecp256_public_key import DeviceActivationECP256PublicKey
from .device_activation_ed_25519_public_key import DeviceActivationEd25519PublicKey
from .device_page import DevicePage
from .device_status import DeviceStatus
from .discount import Discount
from .discount_amount_override import DiscountAmountOverride
from .discount_kind import DiscountKind
from .discount_percent_override import DiscountPercentOverride
from .endpoint import Endpoint
from .endpoint_create import EndpointCreate
from .endpoint_created import EndpointCreated
from .endpoint_created_status import EndpointCreatedStatus
from .endpoint_disabled import EndpointDisabled
from .endpoint_disabled_event import EndpointDisabledEvent
from .endpoint_page import EndpointPage
from .endpoint_status import EndpointStatus
from .endpoint_status_change import EndpointStatusChange
from .endpoint_update import EndpointUpdate
from .enrolment_code import EnrolmentCode
from .enrolment_code_request import EnrolmentCodeRequest
from .enrolment_confirm import EnrolmentConfirm
from .enrolment_confirmed import EnrolmentConfirmed
from .enrolment_start import EnrolmentStart
from .entitlement_view import EntitlementView
from .entitlement_view_mode import EntitlementViewMode
from .event_type import EventType
from .event_type_info import EventTypeInfo
from .event_type_list import EventTypeList
from .fire_request import FireRequest
from .fire_result import FireResult
from .fired_ticket import FiredTicket
from .fired_ticket_printer_role import FiredTicketPrinterRole
from .flag import Flag
from .flag_details import FlagDetails
from .flag_page import FlagPage
from .flag_resolve import FlagResolve
from .force_close_override import ForceCloseOverride
from .item_mix import ItemMix
from .item_mix_row import ItemMixRow
from .item_price_schedule import ItemPriceSchedule
from .item_result import ItemResult
from .item_result_problem_type_0 import ItemResultProblemType0
from .item_result_result_type_0 import ItemResultResultType0
from .item_result_state_type_0 import ItemResultStateType0
from .item_result_status import ItemResultStatus
from .jwks import Jwks
from .line_add import LineAdd
from .line_change import LineChange
from .line_in import LineIn
from .live_session import LiveSession
from .live_session_kind import LiveSessionKind
from .live_session_page import LiveSessionPage
from .location import Location
from .location_out import LocationOut
from .location_page import LocationPage
from .location_price import LocationPrice
from .location_price_set import LocationPriceSet
from .menu_category import MenuCategory
from .menu_category_create import MenuCategoryCreate
from .menu_category_create_printer_role_type_0 import MenuCategoryCreatePrinterRoleType0
from .menu_category_page import MenuCategoryPage
from .menu_category_printer_role_type_0 import MenuCategoryPrinterRoleType0
from .menu_category_update import MenuCategoryUpdate
from .menu_category_update_printer_role_type_0 import MenuCategoryUpdatePrinterRoleType0
from .menu_changed import MenuChanged
from .menu_changed_event import MenuChangedEvent
from .menu_item import MenuItem
from .menu_item_create import MenuItemCreate
from .menu_item_page import MenuItemPage
from .menu_item_update import MenuItemUpdate
from .modifier import Modifier
from .modifier_chosen import ModifierChosen
from .modifier_create import ModifierCreate
from .modifier_group import ModifierGroup
from .modifier_group_create import ModifierGroupCreate
from .modifier_group_page import ModifierGroupPage
from .modifier_group_update import ModifierGroupUpdate
from .modifier_mix_row import ModifierMixRow
from .modifier_update import ModifierUpdate
from .offline_approval import OfflineApproval
from .offline_approval_action import OfflineApprovalAction
from .offline_approval_page import OfflineApprovalPage
from .offline_approval_status import OfflineApprovalStatus
from .offline_stamp import OfflineStamp
from .operation_page import OperationPage
from .order import Order
from .order_change import OrderChange
from .order_closed import OrderClosed
from .order_closed_event import OrderClosedEvent
from .order_line import OrderLine
from .order_line_status import OrderLineStatus
from .order_open import OrderOpen
from .order_page import OrderPage
from .order_status import OrderStatus
from .order_voided import OrderVoided
from .order_voided_event import OrderVoidedEvent
from .override_action import OverrideAction
from .override_granted import OverrideGranted
from .override_limits import OverrideLimits
from .override_limits_update import OverrideLimitsUpdate
from .password_sign_in import PasswordSignIn
from .password_signed_in import PasswordSignedIn
from .payment import Payment
from .payment_card_verification_type_0 import PaymentCardVerificationType0
from .payment_result import PaymentResult
from .payment_status import PaymentStatus
from .payment_tender import PaymentTender
from .percent_discount import PercentDiscount
from .period_closed import PeriodClosed
from .period_closed_event import PeriodClosedEvent
from .period_closed_kind import PeriodClosedKind
from .period_closed_reason import PeriodClosedReason
from .period_closure import PeriodClosure
from .period_closure_kind import PeriodClosureKind
from .period_closure_reason import PeriodClosureReason
from .period_closures import PeriodClosures
from .period_out import PeriodOut
from .period_out_kind import PeriodOutKind
from .pin_sign_in import PinSignIn
from .plan import Plan
from .poll_response import PollResponse
from .portal_session import PortalSession
from .price_schedule import PriceSchedule
from .print_job_page import PrintJobPage
from .print_job_status import PrintJobStatus
from .print_job_view import PrintJobView
from .print_queued import PrintQueued
from .print_queued_kind import PrintQueuedKind
from .print_queued_printer_role import PrintQueuedPrinterRole
from .printer_role import PrinterRole
from .problem_details import ProblemDetails
from .problem_details_check_type_0 import ProblemDetailsCheckType0
from .problem_details_errors_type_0_item import ProblemDetailsErrorsType0Item
from .public_key_out import PublicKeyOut
from .reason_code import ReasonCode
from .receipt import Receipt
from .receipt_kind import ReceiptKind
from .receipt_line import ReceiptLine
from .receipt_page import ReceiptPage
from .receipt_payment import ReceiptPayment
from .receipt_payment_tender import ReceiptPaymentTender
from .receipt_series import ReceiptSeries
from .reconciliation import Reconciliation
from .recovery_code_sign_in import RecoveryCodeSignIn
from .refresh_request import RefreshRequest
from .refund import Refund
from .refund_by_amount import RefundByAmount
from .refund_by_lines import RefundByLines
from .refund_issued import RefundIssued
from .refund_issued_event import RefundIssuedEvent
from .refund_issued_tender import RefundIssuedTender
from .refund_issued_tender_tender import RefundIssuedTenderTender
from .refund_line_in import RefundLineIn
from .refund_override import RefundOverride
from .refund_result import RefundResult
from .refund_snapshot import RefundSnapshot
from .refund_tender import RefundTender
from .refund_tender_in import RefundTenderIn
from .refund_tender_tender import RefundTenderTender
from .refund_totals import RefundTotals
from .refunded_line import RefundedLine
from .refunded_tender_out import RefundedTenderOut
from .refunded_tender_out_tender import RefundedTenderOutTender
from .refunds_summary import RefundsSummary
from .replay import Replay
from .reports_bas_format import ReportsBasFormat
from .reports_daily_summary_format import ReportsDailySummaryFormat
from .reports_item_mix_format import ReportsItemMixFormat
from .reports_list_closures_kind_type_0 import ReportsListClosuresKindType0
from .reports_reconciliation_format import ReportsReconciliationFormat
from .reports_vat_summary_format import ReportsVatSummaryFormat
from .reprint_request import ReprintRequest
from .roster import Roster
from .roster_member import RosterMember
from .sale_snapshot import SaleSnapshot
from .scheduled_item_price import ScheduledItemPrice
from .scheduled_price import ScheduledPrice
from .secret_rotation import SecretRotation
from .security_settings import SecuritySettings
from .security_settings_update import SecuritySettingsUpdate
from .shift import Shift
from .shift_close import ShiftClose
from .shift_closed import ShiftClosed
from .shift_closed_event import ShiftClosedEvent
from .shift_open import ShiftOpen
from .shift_page import ShiftPage
from .shift_reconciliation import ShiftReconciliation
from .shift_report import ShiftReport
from .shift_report_kind import ShiftReportKind
from .shift_status import ShiftStatus
from .shifts_list_shifts_status_type_0 import ShiftsListShiftsStatusType0
from .signing_jwk import SigningJwk
from .staff_create import StaffCreate
from .staff_member import StaffMember
from .staff_page import StaffPage
from .staff_role import StaffRole
from .staff_update import StaffUpdate
from .stored_operation import StoredOperation
from .stored_operation_content import StoredOperationContent
from .stored_operation_result_type_0 import StoredOperationResultType0
from .stored_operation_status import StoredOperationStatus
from .subscription import Subscription
from .sync_list_approvals_status_type_0 import SyncListApprovalsStatusType0
from .sync_list_operations_status_type_0 import SyncListOperationsStatusType0
from .sync_register import SyncRegister
from .sync_status import SyncStatus
from .tax_category import TaxCategory
from .tax_category_create import TaxCategoryCreate
from .tax_category_list import TaxCategoryList
from .tax_category_update import TaxCategoryUpdate
from .tax_line import TaxLine
from .tax_rate import TaxRate
from .tax_rate_schedule import TaxRateSchedule
from .tax_rate_total import TaxRateTotal
from .tax_settings import TaxSettings
from .tax_settings_tax_basis import TaxSettingsTaxBasis
from .tax_settings_update import TaxSettingsUpdate
from .tax_settings_update_cash_rounding_minor import TaxSettingsUpdateCashRoundingMinor
from .tax_settings_update_tax_basis import TaxSettingsUpdateTaxBasis
from .tender_amounts import TenderAmounts
from .tender_reconciliation import TenderReconciliation
from .tender_reconciliation_tender import TenderReconciliationTender
from .tender_total import TenderTotal
from .tender_total_tender import TenderTotalTender
from .tender_totals import TenderTotals
from .till_category import TillCategory
from .till_item import TillItem
from .till_menu import TillMenu
from .till_modifier import TillModifier
from .till_modifier_group import TillModifierGroup
from .token_response import TokenResponse
from .totals import Totals
from .totp_enrolment import TotpEnrolment
from .totp_enrolment_required import TotpEnrolmentRequired
from .totp_required import TotpRequired
from .vat_box import VatBox
from .vat_rate import VatRate
from .vat_summary import VatSummary
from .vat_summary_tax_basis import VatSummaryTaxBasis
from .verification_out import VerificationOut
from .void_override import VoidOverride
from .void_request import VoidRequest
from .void_totals import VoidTotals
from .voids_summary import VoidsSummary
from .webhook_receipt import WebhookReceipt
from .z_report import ZReport
from .z_report_issue import ZReportIssue
from .z_report_issue_reason import ZReportIssueReason
from .z_report_kind import ZReportKind

__all__ = (
    "AckResult",
    "AckStatus",
    "Acknowledgement",
    "ActivatedDevice",
    "ActivationCode",
    "ActivationCodeCreate",
    "AmountDiscount",
    "ApprovalDispute",
    "ApprovalReview",
    "Attempt",
    "AuditEvent",
    "AuditEventPage",
    "AuditEventPayload",
    "AuditListEventsOrder",
    "AuditRange",
    "Bas",
    "BasAdjustment",
    "BasLabel",
    "BasTaxBasis",
    "Batch",
    "BatchOperationsItem",
    "BatchResult",
    "BridgeToken",
    "BridgeTokenCreate",
    "BridgeTokenCreated",
    "BridgeTokenPage",
    "BridgeTokenRevocation",
    "BridgeTokenRotation",
    "Business",
    "BusinessOut",
    "BusinessRegion",
    "CardPayment",
    "CashMovement",
    "CashMovementCreate",
    "CashMovementCreateKind",
    "CashMovementEntry",
    "CashMovementEntryKind",
    "CashMovementKind",
    "CashPayment",
    "CategoryMixRow",
    "ChainBreakOut",
    "CheckoutSession",
    "CheckpointOut",
    "CheckpointPage",
    "CloseRequest",
    "ClosedOrder",
    "ClosedShift",
    "ClosedShiftStatus",
    "ClosureRequest",
    "ClosureRequestKind",
    "CodeSignIn",
    "CountAmount",
    "CountedAmounts",
    "DailySummary",
    "DaySummary",
    "DeliveredJob",
    "Delivery",
    "DeliveryData",
    "DeliveryPage",
    "DeliveryStatus",
    "Device",
    "DeviceActivation",
    "DeviceActivationECP256PublicKey",
    "DeviceActivationEd25519PublicKey",
    "DevicePage",
    "DeviceStatus",
    "Discount",
    "DiscountAmountOverride",
    "DiscountKind",
    "DiscountPercentOverride",
    "Endpoint",
    "EndpointCreate",
    "EndpointCreated",
    "EndpointCreatedStatus",
    "EndpointDisabled",
    "EndpointDisabledEvent",
    "EndpointPage",
    "EndpointStatus",
    "EndpointStatusChange",
    "EndpointUpdate",
    "EnrolmentCode",
    "EnrolmentCodeRequest",
    "EnrolmentConfirm",
    "EnrolmentConfirmed",
    "EnrolmentStart",
    "EntitlementView",
    "EntitlementViewMode",
    "EventType",
    "EventTypeInfo",
    "EventTypeList",
    "FireRequest",
    "FireResult",
    "FiredTicket",
    "FiredTicketPrinterRole",
    "Flag",
    "FlagDetails",
    "FlagPage",
    "FlagResolve",
    "ForceCloseOverride",
    "ItemMix",
    "ItemMixRow",
    "ItemPriceSchedule",
    "ItemResult",
    "ItemResultProblemType0",
    "ItemResultResultType0",
    "ItemResultStateType0",
    "ItemResultStatus",
    "Jwks",
    "LineAdd",
    "LineChange",
    "LineIn",
    "LiveSession",
    "LiveSessionKind",
    "LiveSessionPage",
    "Location",
    "LocationOut",
    "LocationPage",
    "LocationPrice",
    "LocationPriceSet",
    "MenuCategory",
    "MenuCategoryCreate",
    "MenuCategoryCreatePrinterRoleType0",
    "MenuCategoryPage",
    "MenuCategoryPrinterRoleType0",
    "MenuCategoryUpdate",
    "MenuCategoryUpdatePrinterRoleType0",
    "MenuChanged",
    "MenuChangedEvent",
    "MenuItem",
    "MenuItemCreate",
    "MenuItemPage",
    "MenuItemUpdate",
    "Modifier",
    "ModifierChosen",
    "ModifierCreate",
    "ModifierGroup",
    "ModifierGroupCreate",
    "ModifierGroupPage",
    "ModifierGroupUpdate",
    "ModifierMixRow",
    "ModifierUpdate",
    "OfflineApproval",
    "OfflineApprovalAction",
    "OfflineApprovalPage",
    "OfflineApprovalStatus",
    "OfflineStamp",
    "OperationPage",
    "Order",
    "OrderChange",
    "OrderClosed",
    "OrderClosedEvent",
    "OrderLine",
    "OrderLineStatus",
    "OrderOpen",
    "OrderPage",
    "OrderStatus",
    "OrderVoided",
    "OrderVoidedEvent",
    "OverrideAction",
    "OverrideGranted",
    "OverrideLimits",
    "OverrideLimitsUpdate",
    "PasswordSignIn",
    "PasswordSignedIn",
    "Payment",
    "PaymentCardVerificationType0",
    "PaymentResult",
    "PaymentStatus",
    "PaymentTender",
    "PercentDiscount",
    "PeriodClosed",
    "PeriodClosedEvent",
    "PeriodClosedKind",
    "PeriodClosedReason",
    "PeriodClosure",
    "PeriodClosureKind",
    "PeriodClosureReason",
    "PeriodClosures",
    "PeriodOut",
    "PeriodOutKind",
    "PinSignIn",
    "Plan",
    "PollResponse",
    "PortalSession",
    "PriceSchedule",
    "PrintJobPage",
    "PrintJobStatus",
    "PrintJobView",
    "PrintQueued",
    "PrintQueuedKind",
    "PrintQueuedPrinterRole",
    "PrinterRole",
    "ProblemDetails",
    "ProblemDetailsCheckType0",
    "ProblemDetailsErrorsType0Item",
    "PublicKeyOut",
    "ReasonCode",
    "Receipt",
    "ReceiptKind",
    "ReceiptLine",
    "ReceiptPage",
    "ReceiptPayment",
    "ReceiptPaymentTender",
    "ReceiptSeries",
    "Reconciliation",
    "RecoveryCodeSignIn",
    "RefreshRequest",
    "Refund",
    "RefundByAmount",
    "RefundByLines",
    "RefundIssued",
    "RefundIssuedEvent",
    "RefundIssuedTender",
    "RefundIssuedTenderTender",
    "RefundLineIn",
    "RefundOverride",
    "RefundResult",
    "RefundSnapshot",
    "RefundTender",
    "RefundTenderIn",
    "RefundTenderTender",
    "RefundTotals",
    "RefundedLine",
    "RefundedTenderOut",
    "RefundedTenderOutTender",
    "RefundsSummary",
    "Replay",
    "ReportsBasFormat",
    "ReportsDailySummaryFormat",
    "ReportsItemMixFormat",
    "ReportsListClosuresKindType0",
    "ReportsReconciliationFormat",
    "ReportsVatSummaryFormat",
    "ReprintRequest",
    "Roster",
    "RosterMember",
    "SaleSnapshot",
    "ScheduledItemPrice",
    "ScheduledPrice",
    "SecretRotation",
    "SecuritySettings",
    "SecuritySettingsUpdate",
    "Shift",
    "ShiftClose",
    "ShiftClosed",
    "ShiftClosedEvent",
    "ShiftOpen",
    "ShiftPage",
    "ShiftReconciliation",
    "ShiftReport",
    "ShiftReportKind",
    "ShiftStatus",
    "ShiftsListShiftsStatusType0",
    "SigningJwk",
    "StaffCreate",
    "StaffMember",
    "StaffPage",
    "StaffRole",
    "StaffUpdate",
    "StoredOperation",
    "StoredOperationContent",
    "StoredOperationResultType0",
    "StoredOperationStatus",
    "Subscription",
    "SyncListApprovalsStatusType0",
    "SyncListOperationsStatusType0",
    "SyncRegister",
    "SyncStatus",
    "TaxCategory",
    "TaxCategoryCreate",
    "TaxCategoryList",
    "TaxCategoryUpdate",
    "TaxLine",
    "TaxRate",
    "TaxRateSchedule",
    "TaxRateTotal",
    "TaxSettings",
    "TaxSettingsTaxBasis",
    "TaxSettingsUpdate",
    "TaxSettingsUpdateCashRoundingMinor",
    "TaxSettingsUpdateTaxBasis",
    "TenderAmounts",
    "TenderReconciliation",
    "TenderReconciliationTender",
    "TenderTotal",
    "TenderTotalTender",
    "TenderTotals",
    "TillCategory",
    "TillItem",
    "TillMenu",
    "TillModifier",
    "TillModifierGroup",
    "TokenResponse",
    "Totals",
    "TotpEnrolment",
    "TotpEnrolmentRequired",
    "TotpRequired",
    "VatBox",
    "VatRate",
    "VatSummary",
    "VatSummaryTaxBasis",
    "VerificationOut",
    "VoidOverride",
    "VoidRequest",
    "VoidTotals",
    "VoidsSummary",
    "WebhookReceipt",
    "ZReport",
    "ZReportIssue",
    "ZReportIssueReason",
    "ZReportKind",
)
