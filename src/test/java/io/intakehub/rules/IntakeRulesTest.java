package io.intakehub.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intakehub.canonical.CanonicalJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every intake rule at and around its thresholds, with the shipped defaults of {@code application.yaml}
 * (DOMAIN.md §2–§3), in Chinese and English texts. Times are Asia/Shanghai (+08:00);
 * 2026-11-20 is a Friday.
 */
class IntakeRulesTest {

    private static final IntakeRules.CustomerFacts KEY_ACCOUNT =
            new IntakeRules.CustomerFacts("C-20017", "key-account", true, "ACTIVE", "number", "上海华东文具有限公司", "monthly-credit");
    private static final IntakeRules.CustomerFacts SMALL =
            new IntakeRules.CustomerFacts("C-10045", "small-medium", true, "ACTIVE", "phone", "Harbour Print Shop", "cash-on-delivery");
    private static final IntakeRules.CustomerFacts NEW =
            new IntakeRules.CustomerFacts("H-0123456789", "small-medium", false, "NEW", null, null, null);

    private final IntakeRules rules = new IntakeRules(RulesSettings::defaults);

    // ---- orders ---------------------------------------------------------------------------------------

    @ParameterizedTest(name = "order total {0} -> delivery fee {1}")
    @CsvSource({"0.01, 10", "99, 10", "99.99, 10", "100, 0", "100.00, 0", "100.01, 0", "5000, 0"})
    void deliveryIsFreeFromOneHundredYuan(String total, String fee) {
        ObjectNode o = order("2026-11-20T10:00:00+08:00", total, false);
        rules.apply(o, SMALL);
        assertThat(o.at("/intake/deliveryFee/amount").asText()).isEqualTo(fee);
        assertThat(o.at("/intake/deliveryFee/currency").asText()).isEqualTo("CNY");
    }

    @Test
    void theFeeIsFromTheLinesWhenTheOrderGivesNoTotal() {
        ObjectNode o = order("2026-11-20T10:00:00+08:00", null, false);
        ObjectNode line = ((ObjectNode) o.at("/order/lines/0"));
        line.put("quantity", "3");
        line.putObject("unitPrice").put("amount", "33.33").put("currency", "CNY"); // 99.99
        rules.apply(o, SMALL);
        assertThat(o.at("/intake/deliveryFee/amount").asText()).isEqualTo("10");
    }

    @ParameterizedTest(name = "{1} ordered at {0} -> delivered by {2}")
    @CsvSource({
        "2026-11-20T11:59:00+08:00, key-account, 2026-11-20T18:00:00+08:00",
        "2026-11-20T12:00:00+08:00, key-account, 2026-11-21T12:00:00+08:00",
        "2026-11-20T12:01:00+08:00, key-account, 2026-11-21T12:00:00+08:00",
        "2026-11-20T00:00:00+08:00, key-account, 2026-11-20T18:00:00+08:00",
        // a time in another zone is read in the company's: 03:59 UTC is 11:59 in Shanghai
        "2026-11-20T03:59:00Z, key-account, 2026-11-20T18:00:00+08:00",
        "2026-11-20T11:59:00+08:00, small-medium, 2026-11-21T18:00:00+08:00",
        "2026-11-20T23:59:00+08:00, small-medium, 2026-11-21T18:00:00+08:00"})
    void keyAccountsOrderingBeforeNoonGetTheirGoodsThatAfternoon(String orderedAt, String customerClass, String promised) {
        ObjectNode o = order(orderedAt, "500", false);
        rules.apply(o, customerClass.equals("key-account") ? KEY_ACCOUNT : SMALL);
        assertThat(o.at("/intake/dueTimes/delivery").asText()).isEqualTo(promised);
    }

    @ParameterizedTest(name = "urgent at {0}, {1} km -> {2} {3}")
    @CsvSource({
        "11:59, , URGENT_SAME_DAY, 2026-11-20T12:00:00+08:00",
        "12:00, , URGENT_SAME_DAY, 2026-11-20T15:30:00+08:00",
        "15:29, , URGENT_SAME_DAY, 2026-11-20T15:30:00+08:00",
        "15:30, , URGENT_NOT_TODAY, ",
        "15:31, , URGENT_NOT_TODAY, ",
        "10:00, 20, URGENT_SAME_DAY, 2026-11-20T12:00:00+08:00",
        "10:00, 19.99, URGENT_SAME_DAY, 2026-11-20T12:00:00+08:00",
        "10:00, 20.01, URGENT_OUT_OF_RANGE, ",
        "10:00, 35, URGENT_OUT_OF_RANGE, "})
    void urgentSameDayOnlyBeforeTheLastDispatchAndWithinTwentyKilometres(String time, String km, String flag, String dispatch) {
        ObjectNode o = order("2026-11-20T" + time + ":00+08:00", "500", true);
        if (km != null) {
            ((ObjectNode) o.get("order")).put("deliveryDistanceKm", km);
        }
        rules.apply(o, SMALL);
        assertThat(flags(o)).contains(flag);
        assertThat(flags(o)).containsOnlyOnce(flag).doesNotContainAnyElementsOf(
                List.of("URGENT_SAME_DAY", "URGENT_NOT_TODAY", "URGENT_OUT_OF_RANGE").stream().filter(f -> !f.equals(flag)).toList());
        if (dispatch == null) {
            assertThat(o.at("/intake/dueTimes/urgentDispatch").isMissingNode()).isTrue();
            assertThat(o.at("/intake/dueTimes/delivery").asText()).as("the normal promise").isEqualTo("2026-11-21T18:00:00+08:00");
        } else {
            assertThat(o.at("/intake/dueTimes/urgentDispatch").asText()).isEqualTo(dispatch);
            assertThat(o.at("/intake/dueTimes/delivery").asText()).isEqualTo("2026-11-20T18:00:00+08:00");
        }
    }

    @ParameterizedTest(name = "special order of {0} -> approval {1}")
    @CsvSource({"4999.99, false", "5000, true", "5000.00, true", "5000.01, true", "120000, true"})
    void specialOrdersFromFiveThousandNeedTheServiceCentreManager(String total, boolean approval) {
        ObjectNode o = order("2026-11-20T10:00:00+08:00", total, false);
        ((ObjectNode) o.at("/order/lines/0")).put("special", true);
        rules.apply(o, SMALL);
        assertThat(flags(o).contains("SPECIAL_ORDER_APPROVAL")).isEqualTo(approval);
        assertThat(flags(o)).contains("SPECIAL_NOT_RETURNABLE");
        assertThat(o.at("/intake/approvalTier").asText(null)).isEqualTo(approval ? "service-centre-manager" : null);
    }

    @Test
    void aCatalogueOrderNeedsNoApprovalWhateverItsTotal() {
        ObjectNode o = order("2026-11-20T10:00:00+08:00", "80000", false);
        rules.apply(o, SMALL);
        assertThat(flags(o)).doesNotContain("SPECIAL_ORDER_APPROVAL", "SPECIAL_NOT_RETURNABLE");
        assertThat(o.at("/intake/approvalTier").isMissingNode()).isTrue();
    }

    @Test
    void keyAccountsGoFirstAndCarryTheirClassOnTheEnvelope() {
        ObjectNode key = order("2026-11-20T10:00:00+08:00", "500", false);
        rules.apply(key, KEY_ACCOUNT);
        assertThat(key.at("/intake/priority").asInt()).isEqualTo(7);
        assertThat(key.at("/customer/class").asText()).isEqualTo("key-account");
        assertThat(key.at("/customer/member").asBoolean()).isTrue();
        assertThat(key.at("/customer/id").asText()).isEqualTo("C-20017");
        assertThat(flags(key)).contains("KEY_ACCOUNT").doesNotContain("NON_MEMBER_CONFIRM");

        ObjectNode small = order("2026-11-20T10:00:00+08:00", "500", false);
        rules.apply(small, SMALL);
        assertThat(small.at("/intake/priority").asInt()).isEqualTo(4);
        assertThat(small.at("/customer/class").asText()).isEqualTo("small-medium");
    }

    @Test
    void aNewCustomersOrderIsConfirmedByPhoneAndTheCustomerInvitedToRegister() {
        ObjectNode o = order("2026-11-20T10:00:00+08:00", "500", false);
        rules.apply(o, NEW);
        assertThat(flags(o)).contains("NEW_CUSTOMER", "NON_MEMBER_CONFIRM");
        assertThat(o.at("/customer/member").asBoolean()).isFalse();
        assertThat(o.at("/intake/customerMatch").asText()).isEqualTo("new");
    }

    @Test
    void aWebOrderIsConfirmedWithinTenMinutes() {
        ObjectNode o = order("2026-11-20T10:00:00+08:00", "500", false);
        ((ObjectNode) o.get("source")).put("channel", "web");
        rules.apply(o, SMALL);
        assertThat(o.at("/intake/dueTimes/confirm").asText()).isEqualTo("2026-11-20T10:10:00+08:00");
    }

    @Test
    void aFirstRequestForMonthlyCreditGoesToASalesRepresentative() {
        ObjectNode o = order("2026-11-20T10:00:00+08:00", "500", false);
        ((ObjectNode) o.get("order")).put("paymentMethod", "monthly-credit");
        rules.apply(o, SMALL);
        assertThat(flags(o)).contains("CREDIT_TO_SALES_REP");
        ObjectNode k = order("2026-11-20T10:00:00+08:00", "500", false);
        ((ObjectNode) k.get("order")).put("paymentMethod", "monthly-credit");
        rules.apply(k, KEY_ACCOUNT);
        assertThat(flags(k)).as("already on monthly credit").doesNotContain("CREDIT_TO_SALES_REP");
    }

    @Test
    void aPhoneMatchUnderAnotherNameIsFlaggedForAPersonToCheck() {
        ObjectNode o = order("2026-11-20T10:00:00+08:00", "500", false);
        ((ObjectNode) o.get("customer")).put("name", "王先生");
        rules.apply(o, SMALL);
        assertThat(flags(o)).contains("CUSTOMER_NAME_DIFFERS");
        ObjectNode same = order("2026-11-20T10:00:00+08:00", "500", false);
        ((ObjectNode) same.get("customer")).put("name", "harbour print shop");
        rules.apply(same, SMALL);
        assertThat(flags(same)).doesNotContain("CUSTOMER_NAME_DIFFERS");
    }

    @Test
    void returnsAndPickUpsPayNoDeliveryFee() {
        ObjectNode o = order("2026-11-20T10:00:00+08:00", "50", false);
        ((ObjectNode) o.get("order")).put("orderType", "consignment-pick-up");
        rules.apply(o, SMALL);
        assertThat(o.at("/intake/deliveryFee").isMissingNode()).isTrue();
        assertThat(o.at("/order/orderType").asText()).as("the order type is kept").isEqualTo("consignment-pick-up");
    }

    // ---- complaints -----------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} yuan -> approved by {1}, severity {2}, escalated {3}")
    @CsvSource({
        "0,        sales-department-manager, minor,    false",
        "499.99,   sales-department-manager, minor,    false",
        "500,      sales-department-manager, general,  false",
        "999.99,   sales-department-manager, general,  false",
        "1000,     deputy-general-manager,   general,  false",
        "1000.00,  deputy-general-manager,   general,  false",
        "4999.99,  deputy-general-manager,   general,  false",
        "5000,     deputy-general-manager,   major,    true",
        "5000.01,  general-manager,          major,    true",
        "49999.99, general-manager,          major,    true",
        "50000,    general-manager,          critical, true"})
    void theAmountInvolvedSetsTheApproverAndTheSeverity(String amount, String approver, String severity, boolean escalated) {
        ObjectNode c = complaint("2026-11-20T10:00:00+08:00", "墨盒有瑕疵", amount);
        rules.apply(c, SMALL);
        assertThat(c.at("/intake/approvalTier").asText()).isEqualTo(approver);
        assertThat(c.at("/intake/severity").asText()).isEqualTo(severity);
        assertThat(flags(c).contains("ESCALATED")).isEqualTo(escalated);
        assertThat(c.at("/intake/priority").asInt()).isEqualTo(escalated ? 8 : 4);
    }

    @Test
    void aboveTheTopTierTheGeneralManagerIsToldAsWell() {
        ObjectNode c = complaint("2026-11-20T10:00:00+08:00", "toner defective", "5000.01");
        rules.apply(c, SMALL);
        assertThat(c.at("/intake/escalatedTo").asText()).isEqualTo("deputy-general-manager, general-manager");
        ObjectNode at = complaint("2026-11-20T10:00:00+08:00", "toner defective", "5000");
        rules.apply(at, SMALL);
        assertThat(at.at("/intake/escalatedTo").asText()).as("5000 is the top of the middle tier").isEqualTo("deputy-general-manager");
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {
        "打印机经常卡纸,质量太差 | quality",
        "墨盒漏墨,有明显瑕疵 | quality",
        "The toner cartridge is defective and leaks | quality",
        "It stopped working after two days | quality",
        "快递送货延误三天,外箱压坏 | transport",
        "The courier delivered late and the box was crushed | transport",
        "仓库错发了型号,还少发两箱 | handling",
        "You shipped the wrong model and two items are missing items | handling",
        "客服人员态度很差,还不耐烦 | staff",
        "Your agent was rude and impolite on the phone | staff",
        "不会用,说明书看不懂 | usage",
        "How do I install the driver? The manual is unclear | usage",
        "The plate on the box is fine, thanks | unclassified",
        "请回电 | unclassified"})
    void theCauseComesFromChineseAndEnglishKeywords(String text, String cause) {
        ObjectNode c = complaint("2026-11-20T10:00:00+08:00", text, null);
        rules.apply(c, SMALL);
        assertThat(c.at("/intake/cause").asText()).isEqualTo(cause);
    }

    @ParameterizedTest(name = "form cause \"{0}\" over text -> {1}")
    @CsvSource(delimiter = '|', value = {"staff | staff", "质量问题 | quality", "Transport | transport", "运输破损 | transport",
        "other | transport"})
    void theFormsOwnCauseFieldWinsWhenItNamesOne(String reported, String cause) {
        ObjectNode c = complaint("2026-11-20T10:00:00+08:00", "快递送货延误", null);
        ((ObjectNode) c.get("complaint")).put("reportedCause", reported);
        rules.apply(c, SMALL);
        assertThat(c.at("/intake/cause").asText()).isEqualTo(cause);
    }

    @Test
    void staffComplaintsGoToTheServiceCentreManager() {
        ObjectNode c = complaint("2026-11-20T10:00:00+08:00", "送货员态度粗鲁", "50");
        rules.apply(c, SMALL);
        assertThat(flags(c)).contains("ESCALATED");
        assertThat(c.at("/intake/escalatedTo").asText()).isEqualTo("service-centre-manager");
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {
        "碎玻璃导致员工受伤 | critical",
        "A staff member was injured by the broken shelf | critical",
        "整批货都有质量问题 | major",
        "The entire batch is defective | major",
        "墨盒有瑕疵 | general"})
    void impactWordsRaiseTheSeverity(String text, String severity) {
        ObjectNode c = complaint("2026-11-20T10:00:00+08:00", text, "100");
        rules.apply(c, SMALL);
        assertThat(c.at("/intake/severity").asText()).isEqualTo(severity.equals("general") ? "minor" : severity);
        assertThat(flags(c).contains("ESCALATED")).isEqualTo(!severity.equals("general"));
    }

    @Test
    void aUsageQuestionWithoutAnAmountIsMinorAndNotEscalated() {
        ObjectNode c = complaint("2026-11-20T10:00:00+08:00", "How do I install the driver?", null);
        rules.apply(c, SMALL);
        assertThat(c.at("/intake/severity").asText()).isEqualTo("minor");
        assertThat(flags(c)).doesNotContain("ESCALATED");
        ObjectNode other = complaint("2026-11-20T10:00:00+08:00", "墨盒有瑕疵", null);
        rules.apply(other, SMALL);
        assertThat(other.at("/intake/severity").asText()).as("the default severity").isEqualTo("general");
        assertThat(other.at("/intake/approvalTier").asText()).isEqualTo("sales-department-manager");
    }

    @Test
    void everyComplaintIsStampedWithItsDueTimes() {
        // Friday 10:00: reply 14:00, coordinate Saturday 10:00, resolve Monday, file by Wednesday (working days), close Thursday
        ObjectNode c = complaint("2026-11-20T10:00:00+08:00", "墨盒有瑕疵", "100");
        rules.apply(c, SMALL);
        JsonNode due = c.at("/intake/dueTimes");
        assertThat(due.path("reply").asText()).isEqualTo("2026-11-20T14:00:00+08:00");
        assertThat(due.path("coordinate").asText()).isEqualTo("2026-11-21T10:00:00+08:00");
        assertThat(due.path("resolveTarget").asText()).as("minor: 2 hours").isEqualTo("2026-11-20T12:00:00+08:00");
        assertThat(due.path("resolve").asText()).isEqualTo("2026-11-23T10:00:00+08:00");
        assertThat(due.path("fileForm").asText()).isEqualTo("2026-11-25T10:00:00+08:00");
        assertThat(due.path("close").asText()).isEqualTo("2026-11-26T10:00:00+08:00");

        ObjectNode general = complaint("2026-11-20T10:00:00+08:00", "墨盒有瑕疵", "600");
        rules.apply(general, SMALL);
        assertThat(general.at("/intake/dueTimes/resolveTarget").asText()).as("general: 12 hours").isEqualTo("2026-11-20T22:00:00+08:00");
        ObjectNode major = complaint("2026-11-20T10:00:00+08:00", "墨盒有瑕疵", "6000");
        rules.apply(major, SMALL);
        assertThat(major.at("/intake/dueTimes/resolveTarget").isMissingNode()).as("major: the 3-day promise only").isTrue();
    }

    @Test
    void keyAccountComplaintsAreFiledWithCustomerManagement() {
        ObjectNode c = complaint("2026-11-20T10:00:00+08:00", "墨盒有瑕疵", "100");
        rules.apply(c, KEY_ACCOUNT);
        assertThat(flags(c)).contains("KEY_ACCOUNT_FILING", "KEY_ACCOUNT");
        assertThat(c.at("/intake/priority").asInt()).isEqualTo(7);
        ObjectNode s = complaint("2026-11-20T10:00:00+08:00", "墨盒有瑕疵", "100");
        rules.apply(s, SMALL);
        assertThat(flags(s)).doesNotContain("KEY_ACCOUNT_FILING");
    }

    // ---- settings ---------------------------------------------------------------------------------------

    @Test
    void aChangedSettingChangesTheOutcomeWithoutARebuild() {
        ObjectNode before = order("2026-11-20T10:00:00+08:00", "150", false);
        rules.apply(before, SMALL);
        assertThat(before.at("/intake/deliveryFee/amount").asText()).isEqualTo("0");

        IntakeRules changed = new IntakeRules(() -> RulesSettings.load(Map.of(
                "hub.rules.order.free-delivery-from", "200", "hub.rules.order.delivery-fee", "15",
                "hub.rules.order.key-account-cut-off", "11:00",
                // as an environment variable (each tier of the list has its own)
                "HUB_RULES_COMPLAINT_APPROVAL_SALES_BELOW", "500",
                "hub.rules.complaint.causes.staff", "服务差,grumpy")));
        ObjectNode after = order("2026-11-20T10:00:00+08:00", "150", false);
        changed.apply(after, SMALL);
        assertThat(after.at("/intake/deliveryFee/amount").asText()).isEqualTo("15");

        ObjectNode late = order("2026-11-20T11:30:00+08:00", "500", false);
        changed.apply(late, KEY_ACCOUNT);
        assertThat(late.at("/intake/dueTimes/delivery").asText()).isEqualTo("2026-11-21T12:00:00+08:00");

        ObjectNode complaint = complaint("2026-11-20T10:00:00+08:00", "the driver was grumpy", "600");
        changed.apply(complaint, SMALL);
        assertThat(complaint.at("/intake/approvalTier").asText()).isEqualTo("deputy-general-manager");
        assertThat(complaint.at("/intake/cause").asText()).isEqualTo("staff");
    }

    // ---- messages -----------------------------------------------------------------------------------------

    private static ObjectNode order(String orderedAt, String total, boolean urgent) {
        ObjectNode o = envelope("order", orderedAt);
        ObjectNode order = o.putObject("order");
        order.put("orderType", "standard").put("orderedAt", orderedAt).put("currency", "CNY");
        if (urgent) {
            order.put("urgent", true);
        }
        order.putArray("lines").addObject().put("lineNumber", 1).putObject("product").put("name", "A4 paper");
        if (total != null) {
            order.putObject("totalAmount").put("amount", total).put("currency", "CNY");
        }
        return o;
    }

    private static ObjectNode complaint(String receivedAt, String text, String amount) {
        ObjectNode c = envelope("complaint", receivedAt);
        ObjectNode complaint = c.putObject("complaint");
        complaint.put("description", text);
        if (amount != null) {
            complaint.putObject("amountInvolved").put("amount", amount).put("currency", "CNY");
        }
        return c;
    }

    private static ObjectNode envelope(String type, String receivedAt) {
        ObjectNode n = CanonicalJson.mapper().createObjectNode();
        n.put("messageId", "00000000-0000-5000-8000-000000000001").put("type", type).put("schemaVersion", 1);
        n.putObject("source").put("channel", "phone").put("format", "csv").put("reference", "r-1").put("receivedAt", receivedAt);
        n.putObject("customer").put("phone", "+86 21 5555 0101");
        n.putObject("intake").put("priority", 4);
        return n;
    }

    private static List<String> flags(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.at("/intake/flags").forEach(f -> out.add(f.asText()));
        return out;
    }
}
