import {
  OperationNodeTransformer,
  PrimitiveValueListNode,
  RawNode,
  ValueNode,
  type BinaryOperationNode,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';

/** Lists up to this long stay plain placeholders (`in (?, ?, ?)`): the common case, and the fastest. */
const LONGEST_PLAIN_LIST = 16;

class InListTransformer extends OperationNodeTransformer {
  protected override transformBinaryOperation(node: BinaryOperationNode): BinaryOperationNode {
    const transformed = super.transformBinaryOperation(node);
    const operator = transformed.operator as { operator?: string };
    const list = transformed.rightOperand;
    if ((operator.operator === 'in' || operator.operator === 'not in') && PrimitiveValueListNode.is(list) && list.values.length > LONGEST_PLAIN_LIST) {
      const values = RawNode.create(['(select value from json_each(', '))'], [ValueNode.create(JSON.stringify(list.values))]);
      return { ...transformed, rightOperand: values };
    }
    return transformed;
  }
}

/**
 * On the embedded store, a long `in (…)` list is sent as one JSON array parameter
 * (`in (select value from json_each(?))`) instead of one placeholder per value. Otherwise every
 * list length is another SQL text, so another prepared statement: with a statement of 1,000
 * placeholders holding ~300 KB of SQLite memory that V8 cannot see, statements awaiting garbage
 * collection took a fuzzed server from 134 MB to over 300 MB (filters such as
 * `resource_ids[]=…` take up to 1,000 ids). With this, a query has a handful of shapes.
 */
export class StableInListsPlugin implements KyselyPlugin {
  readonly #transformer = new InListTransformer();

  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    return this.#transformer.transformNode(node);
  }

  async transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return result;
  }
}
