// The item mix of a venue over a period: quantity and sales per item, category and modifier,
// best sellers first, as the API ranks them. Every figure is the API's, formatted only.
import type { Schema } from "../../../api";
import { get } from "../api";
import type { Location } from "../components";
import { CountCell, MoneyCell, Figure, VenueReportSection } from "./reportParts";

type ItemMixAnswer = Schema<"ItemMix">;

function ItemMixTables({ mix }: { mix: ItemMixAnswer }) {
  const { currency, totals } = mix;
  return (
    <div class="report" data-report="item-mix" data-period={mix.period.label} data-location={mix.location.id}>
      <p>
        {mix.location.name}, {mix.period.label} ({mix.period.first_day} to {mix.period.last_day}), {currency}
        {mix.prices_include_tax ? ", prices include tax" : ""}
      </p>
      <dl class="figures">
        <Figure path="totals.quantity" label="Units sold" value={totals.quantity} />
        <Figure path="totals.gross_sales_minor" label="Gross sales" value={totals.gross_sales_minor} currency={currency} />
        <Figure path="totals.discounts_minor" label="Discounts" value={totals.discounts_minor} currency={currency} />
        <Figure
          path="totals.service_charges_minor"
          label="Service charges"
          value={totals.service_charges_minor}
          currency={currency}
        />
        <Figure path="totals.net_sales_minor" label="Net sales" value={totals.net_sales_minor} currency={currency} />
        <Figure path="totals.refunds_minor" label="Refunds" value={totals.refunds_minor} currency={currency} />
        <Figure
          path="refunds_not_attributed_minor"
          label="Refunds naming no item"
          value={mix.refunds_not_attributed_minor}
          currency={currency}
        />
      </dl>
      {mix.items.length === 0 ? (
        <p>Nothing sold in this period.</p>
      ) : (
        <table class="mix-items">
          <caption>Items, best sellers first</caption>
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col">Category</th>
              <th scope="col">Sold</th>
              <th scope="col">Gross sales</th>
              <th scope="col">Discounts</th>
              <th scope="col">Service charges</th>
              <th scope="col">Net sales</th>
              <th scope="col">Refunded</th>
              <th scope="col">Refunds</th>
            </tr>
          </thead>
          <tbody>
            {mix.items.map((item, index) => (
              <tr key={item.item_id ?? `open-${index}`} data-item={item.item_id ?? ""}>
                <th scope="row">{item.item_id === null ? `${item.name} (open item)` : item.name}</th>
                <td>{item.category ?? "–"}</td>
                <CountCell path={`items.${index}.quantity`} value={item.quantity} />
                <MoneyCell path={`items.${index}.gross_sales_minor`} minor={item.gross_sales_minor} currency={currency} />
                <MoneyCell path={`items.${index}.discounts_minor`} minor={item.discounts_minor} currency={currency} />
                <MoneyCell
                  path={`items.${index}.service_charges_minor`}
                  minor={item.service_charges_minor}
                  currency={currency}
                />
                <MoneyCell path={`items.${index}.net_sales_minor`} minor={item.net_sales_minor} currency={currency} />
                <CountCell path={`items.${index}.refunded_quantity`} value={item.refunded_quantity} />
                <MoneyCell path={`items.${index}.refunds_minor`} minor={item.refunds_minor} currency={currency} />
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {mix.categories.length > 0 ? (
        <table class="mix-categories">
          <caption>Categories</caption>
          <thead>
            <tr>
              <th scope="col">Category</th>
              <th scope="col">Sold</th>
              <th scope="col">Gross sales</th>
              <th scope="col">Discounts</th>
              <th scope="col">Service charges</th>
              <th scope="col">Net sales</th>
              <th scope="col">Refunded</th>
              <th scope="col">Refunds</th>
            </tr>
          </thead>
          <tbody>
            {mix.categories.map((category, index) => (
              <tr key={category.category ?? `none-${index}`}>
                <th scope="row">{category.category ?? "No category"}</th>
                <CountCell path={`categories.${index}.quantity`} value={category.quantity} />
                <MoneyCell
                  path={`categories.${index}.gross_sales_minor`}
                  minor={category.gross_sales_minor}
                  currency={currency}
                />
                <MoneyCell
                  path={`categories.${index}.discounts_minor`}
                  minor={category.discounts_minor}
                  currency={currency}
                />
                <MoneyCell
                  path={`categories.${index}.service_charges_minor`}
                  minor={category.service_charges_minor}
                  currency={currency}
                />
                <MoneyCell
                  path={`categories.${index}.net_sales_minor`}
                  minor={category.net_sales_minor}
                  currency={currency}
                />
                <CountCell path={`categories.${index}.refunded_quantity`} value={category.refunded_quantity} />
                <MoneyCell path={`categories.${index}.refunds_minor`} minor={category.refunds_minor} currency={currency} />
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {mix.modifiers.length > 0 ? (
        <table class="mix-modifiers">
          <caption>Modifiers</caption>
          <thead>
            <tr>
              <th scope="col">Modifier</th>
              <th scope="col">Sold with</th>
              <th scope="col">Gross</th>
            </tr>
          </thead>
          <tbody>
            {mix.modifiers.map((modifier, index) => (
              <tr key={modifier.modifier_id ?? `none-${index}`}>
                <th scope="row">{modifier.name}</th>
                <CountCell path={`modifiers.${index}.quantity`} value={modifier.quantity} />
                <MoneyCell path={`modifiers.${index}.gross_minor`} minor={modifier.gross_minor} currency={currency} />
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

export function ItemMix({ locations }: { locations: Location[] }) {
  return (
    <VenueReportSection
      title="Item mix"
      locations={locations}
      load={(query) => get("/v1/reports/item-mix", query)}
      csv="/v1/reports/item-mix"
      bundle="/v1/reports/item-mix/export"
      render={(mix) => <ItemMixTables mix={mix} />}
    />
  );
}
