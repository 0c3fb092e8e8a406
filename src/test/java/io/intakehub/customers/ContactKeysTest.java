package io.intakehub.customers;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;

import io.intakehub.rules.RulesSettings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How contacts compare, and the customer class at and around the key-account threshold. */
class ContactKeysTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "+86 138-0013-8000 | 13800138000",
        "0086 13800138000 | 13800138000",
        "8613800138000 | 13800138000",
        "138 0013 8000 | 13800138000",
        "（１３８）００１３８０００ | 13800138000",
        "+86 21 5555 0101 | 02155550101",
        "021-5555 0101 | 02155550101",
        "021-5555 0101 转 808 | 02155550101",
        "0755-2233 4455 ext. 12 | 075522334455",
        "12 | ",
        "n/a | "})
    void phonesCompareByTheirDigitsWithoutTheCountryCode(String text, String key) {
        assertThat(ContactKeys.phone(text)).isEqualTo(key);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        " Lin@Harbour-Print.example | lin@harbour-print.example",
        "no address | "})
    void emailsCompareInLowerCase(String text, String key) {
        assertThat(ContactKeys.email(text)).isEqualTo(key);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "上海华东文具 有限公司 | 上海华东文具有限公司",
        "上海华东文具（有限公司） | 上海华东文具有限公司",
        "Riverside  Hotel. | riversidehotel",
        "RIVERSIDE HOTEL | riversidehotel"})
    void namesCompareWithoutCaseBlanksOrPunctuation(String text, String key) {
        assertThat(ContactKeys.name(text)).isEqualTo(key);
    }

    @ParameterizedTest(name = "{0} yuan a month at threshold {1} -> {2}")
    @CsvSource({
        "4999.99, 5000, small-medium",
        "5000, 5000, small-medium",
        "5000.01, 5000, key-account",
        "1800, 1000, key-account",
        "1800, 5000, small-medium"})
    void keyAccountsBuyMoreThanTheThresholdAMonth(BigDecimal volume, BigDecimal threshold, String expected) {
        CustomerDirectory directory = new CustomerDirectory(null, null,
                RulesSettings.load(java.util.Map.of("hub.rules.customer.key-account-monthly-volume", threshold)), null,
                java.time.Duration.ofSeconds(30));
        Customer c = new Customer("C-1", "x", null, null, null, null, null, null, true, null, volume, null, "ACTIVE");
        assertThat(directory.classOf(c)).isEqualTo(expected);
        Customer told = new Customer("C-1", "x", null, null, null, null, null, null, true, "key-account", volume, null, "ACTIVE");
        assertThat(directory.classOf(told)).as("the CRM's own class wins").isEqualTo("key-account");
    }
}
