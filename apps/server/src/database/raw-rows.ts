import type { DataSource, EntityTarget } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/**
 * Entities from rows of plain SQL, for the hot paths where building and hydrating through the
 * query builder costs more than the query. Values pass through the driver exactly as TypeORM
 * would convert them (dates as UTC strings on SQLite, Date objects on MySQL, booleans, nulls).
 */
export class RawRows<T extends object> {
  private readonly columns: readonly ColumnMetadata[];
  private readonly byProperty: ReadonlyMap<string, ColumnMetadata>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly target: new () => T,
  ) {
    const meta = dataSource.getMetadata(target as EntityTarget<T>);
    this.columns = meta.columns;
    this.byProperty = new Map(meta.columns.map((c) => [c.propertyName, c]));
  }

  /** One entity from a row whose keys are the column names (`SELECT m.*` or named columns). */
  entity(row: Record<string, unknown>): T {
    const e = new this.target() as Record<string, unknown>;
    for (const c of this.columns) {
      const v = row[c.databaseName];
      if (v !== undefined) e[c.propertyName] = this.dataSource.driver.prepareHydratedValue(v, c);
    }
    return e as T;
  }

  /** A property's value as a query parameter for its column. */
  param<K extends keyof T & string>(property: K, value: T[K]): unknown {
    const c = this.byProperty.get(property);
    if (!c) throw new Error(`no column for ${property}`);
    return this.dataSource.driver.preparePersistentValue(value, c);
  }
}
